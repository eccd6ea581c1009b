import { runProcess } from './runProcess';

/**
 * `npm start`: the whole platform (API + background work unless WORKER=off) on embedded defaults.
 * `npm start -- --seed` first loads the demo site into an empty development database.
 */
runProcess('api', { seed: process.argv.slice(2).includes('--seed') });
