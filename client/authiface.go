package client

import (
	"context"
	"net/http"
)

// Authenticator adds credentials to a request. TEMPORARY: becomes an alias of
// auth.Authenticator once client/auth provides it.
type Authenticator interface {
	Authenticate(ctx context.Context, req *http.Request, body []byte) error
	Describe() string
}
