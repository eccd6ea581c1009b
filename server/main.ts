import { runProcess } from './runProcess';

/** `npm start`: the whole platform (API + background work unless WORKER=off) on embedded defaults. */
runProcess('api');
