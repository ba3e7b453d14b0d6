import applyOpenclawResourceProfile from './apply-openclaw-resource-profile'
import deployOpenclaw from './deploy-openclaw'
import getOpenclawSizingRecommendation from './get-openclaw-sizing-recommendation'
import resumeOpenclawDeploy from './resume-openclaw-deploy'

export default [getOpenclawSizingRecommendation, deployOpenclaw, resumeOpenclawDeploy, applyOpenclawResourceProfile]
