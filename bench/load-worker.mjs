// Worker entry: teach this thread TypeScript (as `tsx` does for the main one), then run the load.
import { register } from 'tsx/esm/api';

register();
await import('./load.ts');
