package sim_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"matui/client"
	"matui/client/auth"
	"matui/client/config"
	"matui/client/sim"
	"matui/client/sim/fault"
)

// The simulator must say no exactly where the API gateway does: these tests
// authenticate through the real client, never with NoAuth.

// startSim serves a simulator whose clock is a ManualClock set to start.
func startSim(t testing.TB, opts sim.Options) (*httptest.Server, *sim.Server, *sim.ManualClock) {
	t.Helper()
	s, clk := newManualSim(t, opts)
	return serve(t, s), s, clk
}

// newManualSim builds a simulator whose clock is a ManualClock set to start.
func newManualSim(t testing.TB, opts sim.Options) (*sim.Server, *sim.ManualClock) {
	t.Helper()
	clk := sim.NewManualClock(start)
	opts.Clock = clk
	s, err := sim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

// serve serves h on a loopback test server closed with the test.
func serve(t testing.TB, h http.Handler) *httptest.Server {
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs
}

func TestContractWrongSecretKeyIsRefused(t *testing.T) {
	hs, s, clk := startSim(t, sim.Options{Seed: 2})
	cr := s.Credentials()
	cl, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID, MaxRetries: -1,
		Auth: auth.AKSK{AK: cr.AK, SK: cr.SK + "x", Now: clk.Now}, Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.ListInstances(context.Background())
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an APIError, got %v", err)
	}
	if ae.HTTPStatus != 401 || ae.Code != "APIG.0301" || !strings.Contains(ae.Message, "verify aksk signature fail") {
		t.Fatalf("got %d %s %q", ae.HTTPStatus, ae.Code, ae.Message)
	}
	if !client.IsAuth(err) {
		t.Fatal("IsAuth should recognise APIG.0301")
	}
}

func TestContractUnknownAKIsRefused(t *testing.T) {
	hs, s, clk := startSim(t, sim.Options{Seed: 2})
	cr := s.Credentials()
	cl, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID, MaxRetries: -1,
		Auth: auth.AKSK{AK: "NOSUCHAK000000000000", SK: cr.SK, Now: clk.Now}, Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.ShowNotebook(context.Background(), "00000000-0000-0000-0000-000000000000")
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 401 || !strings.Contains(ae.Message, "ak not exist") {
		t.Fatalf("got %v", err)
	}
}

func TestContractPasswordAuthEndToEnd(t *testing.T) {
	hs, s, _ := startSim(t, sim.Options{Seed: 3})
	cr := s.Credentials()
	settings := config.Settings{
		Endpoint:    hs.URL,
		IAMEndpoint: hs.URL + "/v3",
		ProjectName: cr.ProjectName, // no project ID: Connect asks IAM for it
		Credentials: config.Credentials{Username: cr.Username, Password: cr.Password, DomainName: cr.DomainName},
	}
	cl, err := client.Connect(context.Background(), settings, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cl.ProjectID() != cr.ProjectID {
		t.Fatalf("project from IAM = %q, want %q", cl.ProjectID(), cr.ProjectID)
	}
	insts, err := cl.ListInstances(context.Background())
	if err != nil || len(insts) == 0 {
		t.Fatalf("ListInstances with an IAM token: %d instances, %v", len(insts), err)
	}

	settings.Credentials.Password = "wrong"
	if _, err := client.Connect(context.Background(), settings, client.Options{}); err == nil {
		t.Fatal("a wrong password must fail")
	} else if strings.Contains(err.Error(), "wrong") {
		t.Fatalf("the error must not echo the password: %v", err)
	}
}

func TestContractForgedTokenIsRefused(t *testing.T) {
	hs, s, clk := startSim(t, sim.Options{Seed: 4})
	cr := s.Credentials()
	cl, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID, MaxRetries: -1,
		Auth: auth.Token{Value: "forged-token"}, Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.ListInstances(context.Background())
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 401 || ae.Code != "APIG.0301" {
		t.Fatalf("got %v", err)
	}
}

func TestContractFaultsReachTheClient(t *testing.T) {
	hs, s, clk := startSim(t, sim.Options{Seed: 5})
	rules, err := faultRules("notebooks.list:429=1,retry-after=2s")
	if err != nil {
		t.Fatal(err)
	}
	s.Faults().Set(rules)
	cr := s.Credentials()
	var slept []time.Duration
	cl, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID, MaxRetries: 2,
		Auth: auth.AKSK{AK: cr.AK, SK: cr.SK, Now: clk.Now}, Now: clk.Now,
		Sleep: func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.ListNotebooks(context.Background(), client.ListNotebooksOptions{})
	if !client.IsThrottled(err) {
		t.Fatalf("want a throttling error after retries, got %v", err)
	}
	var sawRetryAfter bool
	for _, d := range slept {
		if d == 2*time.Second {
			sawRetryAfter = true
		}
	}
	if !sawRetryAfter {
		t.Fatalf("the client should have waited Retry-After (2s); slept %v", slept)
	}
}

func faultRules(spec string) ([]fault.Rule, error) { return fault.Parse(spec) }

// A dashboard with a wrong SK must not lock the user's AK: one listing may
// spend only one bad signature (the gateway locks after five), so four
// listings in a row are still answered "signature fail", not "locked".
func TestContractWrongKeyListingSpendsOneSignature(t *testing.T) {
	hs, s, clk := startSim(t, sim.Options{Seed: 6})
	cr := s.Credentials()
	cl, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID,
		Auth: auth.AKSK{AK: cr.AK, SK: "wrong", Now: clk.Now}, Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		_, err := cl.ListInstances(context.Background())
		var ae *client.APIError
		if !errors.As(err, &ae) || !strings.Contains(ae.Message, "signature fail") {
			t.Fatalf("listing %d: got %v", i+1, err)
		}
		if strings.Contains(err.Error(), "partial") {
			t.Fatalf("a listing that failed entirely is not partial: %v", err)
		}
	}
	// The right key still works: the AK was never locked.
	good, err := client.New(client.Options{
		Endpoint: hs.URL, ProjectID: cr.ProjectID,
		Auth: auth.AKSK{AK: cr.AK, SK: cr.SK, Now: clk.Now}, Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := good.ListInstances(context.Background()); err != nil {
		t.Fatalf("the AK was locked by a wrong-key dashboard: %v", err)
	}
}
