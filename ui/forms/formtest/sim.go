package formtest

import (
	"net/http/httptest"
	"testing"

	"matui/client"
	"matui/client/auth"
	"matui/client/sim"
)

// SimClient is a client of a fresh simulator (seed 1, no authentication,
// no retries) that is closed when the test ends, for checking that what a
// form sends is what the service accepts, and that its refusals land on
// the right field.
func SimClient(t *testing.T) (*client.Client, *sim.Server) {
	t.Helper()
	s, err := sim.New(sim.Options{Seed: 1, NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Options{Endpoint: srv.URL, ProjectID: s.Credentials().ProjectID, Auth: auth.Token{Value: "x"}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}
