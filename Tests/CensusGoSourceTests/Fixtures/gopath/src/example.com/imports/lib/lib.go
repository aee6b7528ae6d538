// Package lib is what app uses; its exported API is worked out by hand in the tests.
package lib

// Client is an exported type.
type Client struct{ Addr string }

// Option is an exported function type.
type Option func(*Client)

type token struct{}

// Default is an exported variable.
var Default = New()

// Version is an exported constant.
const Version = "1.0"

// New is an exported function.
func New() *Client { return &Client{} }

// Dial is an exported function.
func Dial(addr string) error { return nil }

// Close is an exported method of an exported type.
func (c *Client) Close() {}

func (c *Client) reset() {}

// Value is exported but its receiver type is not.
func (t *token) Value() {}
