package broken

import `a
b`
