; census-expect: code=6 comments=3 blanks=0
(ns demo.core
  "Demo namespace.")
(defn greet
  "Greets someone
  by name."
  [name]
  (str "Hello, " name))
(def x "a value, not a docstring")
