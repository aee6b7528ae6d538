$code .= <<___;
# comment in the generated assembly
	add r1, r2
___
print $code;
