	add r1=r2,r3
	;;
	ld8 r4=[r1]
