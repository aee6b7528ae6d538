// census-expect: code=5 comments=4 blanks=0
const re = /\/*/;
const tick = /`/;
// a comment, not inside a template literal
const cls = /[/*]/;
let half = total / 2 / 3; // division, then a comment
// another comment
if (/^#/.test(line)) x++;
// done
