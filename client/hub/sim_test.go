package hub_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"matui/client"
	"matui/client/auth"
	"matui/client/hub"
	"matui/client/sim"
)

// The real client is an upstream.
var _ hub.Lister = (*client.Client)(nil)

// listRequests counts the HTTP GETs a list makes against the simulator:
// 20 sessions polling in one MinAge window cost exactly what one list does.
func TestTwentySessionsOverTheSimulatorCostOneList(t *testing.T) {
	s, err := sim.New(sim.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var gets atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "notebook") {
			gets.Add(1)
		}
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cr := s.Credentials()
	c, err := client.New(client.Options{
		Endpoint:  srv.URL,
		ProjectID: cr.ProjectID,
		Auth:      auth.AKSK{AK: cr.AK, SK: cr.SK},
		RateLimit: rate.Inf,
	})
	if err != nil {
		t.Fatal(err)
	}
	fixed := time.Unix(1_000_000, 0)
	count := func(sessions, lists int) int64 {
		gets.Store(0)
		h := hub.New(c, hub.Options{MinAge: time.Second, Now: func() time.Time { return fixed }})
		defer h.Close()
		var wg sync.WaitGroup
		for range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range lists {
					if items, err := h.List(context.Background()); err != nil || len(items) == 0 {
						t.Errorf("list: %v, %d items", err, len(items))
						return
					}
				}
			}()
		}
		wg.Wait()
		return gets.Load()
	}
	// The client's first list also probes the API; measure after it.
	count(1, 1)
	one := count(1, 1)
	twenty := count(20, 10)
	if one == 0 || twenty != one {
		t.Fatalf("HTTP list requests: one session %d, twenty sessions %d", one, twenty)
	}
}
