// opencc-js exposes its dictionaries through a wildcard export without types.
// Importing the four dictionaries the kiosk needs (instead of a preset) keeps
// the Traditional→Simplified converter small; see docs/search.md.
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
