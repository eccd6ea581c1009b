import { runProcess } from '../server/runProcess';

/** `npm run worker`: background work only (scheduled publishing, payouts), against MONGODB_URI. */
runProcess('worker');
