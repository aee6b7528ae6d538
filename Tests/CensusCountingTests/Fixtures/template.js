// census-expect: code=5 comments=4 blanks=1
/**
 * JSDoc block.
 */
const re = "http://example.com"; // URL in a string
const tpl = `line one
// inside a template literal
${re}`;

export default tpl;
