package client

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"

	"matui/client/auth"
	"matui/model"
)

// End to end with the real signer: the server verifies every attempt with
// auth.Verify (as the simulator does), a 503 forces a retry that must be
// re-signed with a fresh X-Sdk-Date, and the signed headers are the SDK's
// (user-agent, x-project-id, x-sdk-date; never content-type).
func TestAKSKSignedRequestsVerify(t *testing.T) {
	const ak, sk = "AKTESTEXAMPLE0000000", "SKtestExampleSecretKey0000000000000000000"
	clk := newFakeClock()
	var (
		mu    sync.Mutex
		dates []string
		fails int
	)
	env := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := auth.Verify(r, body, sk); err != nil {
			fails++
			t.Errorf("verify: %v", err)
			reply(w, 401, `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`)
			return
		}
		gotAK, signed, _, _ := auth.ParseAuthorization(r.Header.Get("Authorization"))
		if gotAK != ak || !slices.Equal(signed, []string{"user-agent", "x-project-id", "x-sdk-date"}) {
			t.Errorf("ak %q, signed headers %v", gotAK, signed)
		}
		dates = append(dates, r.Header.Get("X-Sdk-Date"))
		if len(dates) == 1 {
			w.Header().Set("Retry-After", "2")
			reply(w, 503, `{}`)
			return
		}
		reply(w, 200, `{"id":"nb1"}`)
	}, func(o *Options) {
		o.Auth = auth.AKSK{AK: ak, SK: sk, Now: clk.Now}
		o.Now, o.Sleep = clk.Now, clk.Sleep
	})

	// PUT: idempotent, so the 503 is retried; the body is hashed and signed.
	name := "nb 1 & <ü>"
	if _, err := env.c.UpdateNotebook(t.Context(), "nb1", model.UpdateNotebookRequest{Name: &name}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dates) != 2 || dates[0] == dates[1] {
		t.Errorf("X-Sdk-Date per attempt %v, want two different dates", dates)
	}
	if want := "20240101T000000Z"; len(dates) > 0 && dates[0] != want {
		t.Errorf("first date %q, want %q", dates[0], want)
	}
	if got := env.c.Describe(); got != "http://"+env.srv.Listener.Addr().String()+" · project 0123…cdef · AK/SK (AKTE…0000)" {
		t.Errorf("Describe %q", got)
	}
}
