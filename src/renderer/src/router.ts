/**
 * The app's pages. Hash history (`index.html#/runs/r…`): the app is loaded from file:// in Electron and
 * from `lab serve`'s static server in a browser, and the page's own query string (`?bridge=ws://…`, read
 * by api.ts) stays untouched.
 *
 * | address          | view                                                         |
 * | ---------------- | ------------------------------------------------------------ |
 * | `#/`             | RolloutView: connectome, runs card, the untrained rollout    |
 * | `#/runs`         | RunsView (table, compared curves) + RunView of the default   |
 * |                  | run: the newest when the list was first read                 |
 * | `#/runs/:id`     | RunsView + RunView of run `id` (or of a unique id prefix)    |
 * | `#/compare`      | CompareView: groups of runs (`?ids=a,b` or `?sweep=ID`)      |
 * | anything else    | redirects to `#/`                                            |
 */
import {
  createRouter,
  createWebHashHistory,
  type RouteRecordRaw,
  type Router,
  type RouterHistory
} from 'vue-router'
import { useLabStore } from './stores/lab'
import RolloutView from './views/RolloutView.vue'
import RunsView from './views/RunsView.vue'
import RunView from './views/RunView.vue'
import CompareView from './views/CompareView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** The header tab a page belongs to. */
    section?: 'rollout' | 'runs' | 'compare'
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'rollout', component: RolloutView, meta: { section: 'rollout' } },
  {
    path: '/runs',
    component: RunsView,
    meta: { section: 'runs' },
    children: [
      { path: '', name: 'runs', component: RunView },
      { path: ':id', name: 'run', component: RunView, props: true }
    ]
  },
  { path: '/compare', name: 'compare', component: CompareView, meta: { section: 'compare' } },
  { path: '/:unknown(.*)*', redirect: '/' }
]

export function createLabRouter(history: RouterHistory = createWebHashHistory()): Router {
  const router = createRouter({ history, routes })
  // The header's Runs link returns to the Runs page last shown.
  router.afterEach((to, _from, failure) => {
    if (!failure && to.meta.section === 'runs') useLabStore().runsPath = to.fullPath
  })
  return router
}
