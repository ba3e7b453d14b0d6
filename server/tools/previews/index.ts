import createPreview from './create-preview'
import deletePreview from './delete-preview'
import listPreviews from './list-previews'

export default [listPreviews, createPreview, deletePreview]
