/** The paper-style time profile of a run; one formula, shared with the renderer (src/shared/profile.ts). */
export { generationCapacityMs, timeProfile, type TimeProfile } from '../../shared/profile'
