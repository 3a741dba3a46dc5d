import { VERSION } from '../version.js';

export const CORRAL_VERSION: string = VERSION;

/** The default User-Agent, `corral/<version>`. */
export const DEFAULT_USER_AGENT = `corral/${CORRAL_VERSION}`;
