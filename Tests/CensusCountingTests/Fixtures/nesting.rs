// census-expect: code=8 comments=7 blanks=2
/* outer
   /* inner */
   still a comment */
fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {
    let quote = '"';
    let raw = r#"a "quoted" /* string */"#;
    let bytes = b'"';

    /// doc comment
    if x.len() > y.len() { x } else { y } // pick
}
/*
*/

const S: &str = "multi
// line string";
