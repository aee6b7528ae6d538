module example.com/dep // Deprecated: use example.com/dep/v2 <instead> & "now".

go 1.17
