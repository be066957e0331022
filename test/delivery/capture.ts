// The courier tests' webhook receiver is the shared capture server.
import { captureServer } from '../helpers/http.js';

export const captureWebhooks = () => captureServer();
