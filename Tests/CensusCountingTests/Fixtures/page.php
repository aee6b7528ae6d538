<!DOCTYPE html>
<!-- census-expect: code=8 comments=4 blanks=0 -->
<?php
// a PHP comment
# another
$title = "Hello";
?>
<h1><?= $title ?></h1>
# not a comment: HTML text
<?php
/* block */
echo "done";
