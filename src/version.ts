/** Package version, sent in User-Agent (`corral/<version>`). Kept in sync with package.json by test/version.test.ts. */
export const VERSION = '0.1.0';
