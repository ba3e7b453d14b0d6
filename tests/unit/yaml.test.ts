import { parse, parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { fromYaml, fromYamlDocuments, readSpec, toYaml, toYamlDocuments } from '../../server/gitops/yaml'

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0', env: [{ name: 'ON', value: 'yes' }, { name: 'N', value: '1.10' }] }] } } } }

describe('YAML of the repository', () => {
  it('reads back what it wrote as parsing the text would, as a copy the reader may change', () => {
    const text = toYaml(deployment)
    expect(toYaml(structuredClone(deployment))).toBe(text)
    const read = fromYaml(text) as typeof deployment
    expect(read).toEqual(parse(text))
    read.spec.replicas = 5
    expect((fromYaml(text) as typeof deployment).spec.replicas).toBe(2)
  })

  it('reads files of several documents, written here or not', () => {
    const other = { ...deployment, metadata: { name: 'worker' } }
    const text = toYamlDocuments([deployment, other])
    expect(fromYamlDocuments(text)).toEqual(parseAllDocuments(text).map(d => d.toJS()))
    expect(fromYamlDocuments(toYaml(other))).toEqual([other])
    expect(fromYamlDocuments('a: 1\n---\n---\nb: 2\n')).toEqual([{ a: 1 }, { b: 2 }])
    expect(fromYaml('written: elsewhere\n')).toEqual({ written: 'elsewhere' })
  })

  it('says what is wrong with a spec file: the YAML, or the field and the rule', () => {
    const Spec = z.object({ replicas: z.number().int().min(1) })
    expect(readSpec(Spec, 'replicas: 2\n')).toEqual({ spec: { replicas: 2 } })
    expect(readSpec(Spec, 'replicas: 0\n')).toEqual({ problem: expect.stringMatching(/^replicas: .*>=1/) })
    expect(readSpec(Spec, 'replicas: [\n')).toEqual({ problem: expect.stringMatching(/^not valid YAML: /) })
  })
})

describe('reading YAML as YAML 1.2 (what the writer means)', () => {
  it('reads every scalar back as it was written', () => {
    const tricky = ['0b101', '0x1F', '0o17', '017', '1_000', '.inf', 'nan', 'Yes', 'on', 'y', '~', 'Null', 'True', '2024-01-01', '12:30', '1.0', '<<', "it's", ' lead', '', 'a #b', 'multi\nline', 0, 1.5, -3, true, null]
    for (const value of tricky) {
      // The comment makes it a text the writer did not produce: it goes through the parser.
      const text = `${toYaml({ value, list: [value] })}# hand edit\n`
      expect(fromYaml(text)).toEqual(parse(text))
      expect(fromYaml(text)).toEqual({ value, list: [value] })
    }
  })
})
