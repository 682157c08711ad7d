/** The kolkit release. The build replaces the placeholder with package.json's version. */
export const VERSION: string = '__KOLKIT_VERSION__';
