-- census-expect: code=4 comments=3 blanks=1
{- outer {- nested -}
   still comment -}
module Main where

main :: IO ()
main = putStrLn "-- not a comment" -- but this is
foldl' f z xs = z
