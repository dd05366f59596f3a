import { LabError, type LabErrorCode } from '../shared/errors'
import { EnvironmentError } from '../core/env/registry'
import { ConfigError } from '../core/training/config'
import { StoreError } from './store/errors'

export { LabError, type LabErrorCode }

/**
 * The lab error code of an expected failure from any layer (engine, store, core validation), or null
 * for an internal error. The one place where error classes are mapped to codes.
 */
export function labErrorCode(e: unknown): LabErrorCode | null {
  if (e instanceof LabError) return e.code
  if (e instanceof StoreError) return e.code === 'unusable' ? null : e.code
  if (e instanceof ConfigError || e instanceof EnvironmentError) return 'invalid-config'
  return null
}
