package sshserve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"matui/client"
	"matui/client/hub"
	"matui/model"
)

// A mutation makes the next poll go upstream and see its effect, even when
// a list started before the mutation is still in flight.
func TestMutationInvalidates(t *testing.T) {
	up := newFakeUp()
	c := testConsole(t, up, hub.Options{MinAge: time.Hour}, nil)
	op := c.session(operator())
	defer op.Close()
	viewer := c.session(viewerActor("v"))
	defer viewer.Close()
	if _, err := viewer.ListInstances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := op.StopInstance(context.Background(), model.Instance{ID: "i-alpha", Name: "alpha"}); err != nil {
		t.Fatal(err)
	}
	items, err := viewer.ListInstances(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Status != "STOPPING" || up.listCount() != 2 {
		t.Fatalf("after stop: status %s, %d lists; want STOPPING after 2", items[0].Status, up.listCount())
	}

	// Now with a list in flight across the mutation.
	up.mu.Lock()
	up.listGate = make(chan struct{})
	up.listStarted = make(chan struct{}, 4)
	up.mu.Unlock()
	c.listing.Invalidate()
	old := make(chan []model.Instance, 1)
	go func() {
		it, _ := viewer.ListInstances(context.Background())
		old <- it
	}()
	<-up.listStarted
	if _, err := op.StartInstance(context.Background(), model.Instance{ID: "i-beta"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	fresh := make(chan []model.Instance, 1)
	go func() {
		it, _ := op.ListInstances(context.Background())
		fresh <- it
	}()
	<-up.listStarted // a second fetch, not a join of the stale one
	close(up.listGate)
	<-old
	if it := <-fresh; it[1].Status != "STARTING" {
		t.Fatalf("list after start says %s, want STARTING", it[1].Status)
	}
}

func TestViewerIsRefusedServerSide(t *testing.T) {
	up := newFakeUp()
	audit := &memAudit{}
	c := testConsole(t, up, hub.Options{}, audit)
	v := c.session(viewerActor("eve"))
	defer v.Close()
	in := model.Instance{ID: "i-alpha", Name: "alpha"}
	for name, f := range map[string]func() error{
		"start":  func() error { _, err := v.StartInstance(context.Background(), in, 0); return err },
		"stop":   func() error { _, err := v.StopInstance(context.Background(), in); return err },
		"delete": func() error { _, err := v.DeleteInstance(context.Background(), in); return err },
		"renew":  func() error { _, err := v.RenewLease(context.Background(), in, time.Hour); return err },
	} {
		if err := f(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s by viewer: %v, want ErrReadOnly", name, err)
		}
	}
	if calls := up.Calls(); len(calls) != 0 {
		t.Fatalf("upstream saw %v", calls)
	}
	recs := audit.records()
	if len(recs) != 4 {
		t.Fatalf("audit has %d records, want 4", len(recs))
	}
	for _, r := range recs {
		if r.Result != ResultDenied || r.Role != "viewer" || r.Name != "eve" || r.SSHUser != "eve" {
			t.Fatalf("record %+v", r)
		}
	}
}

func TestAuditLogFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	log, err := OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	up := newFakeUp()
	up.stopErr = &client.APIError{HTTPStatus: 400, Code: "ModelArts.6309", Message: "no such instance"}
	c := testConsole(t, up, hub.Options{}, log)
	s := c.session(operator())
	defer s.Close()
	in := model.Instance{ID: "i-alpha", Name: "alpha"}
	if _, err := s.RenewLease(context.Background(), in, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StopInstance(context.Background(), in); err == nil {
		t.Fatal("stop: want the upstream error")
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit log mode %v, want 0600", fi.Mode().Perm())
	}
	recs := readAudit(t, path)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	if r := recs[0]; r.Action != "renew" || r.Result != ResultOK || r.InstanceName != "alpha" || r.Fingerprint != "SHA256:op" || r.Time.IsZero() {
		t.Fatalf("renew record %+v", r)
	}
	if r := recs[1]; r.Action != "stop" || r.Result != ResultError || r.Code != "ModelArts.6309" {
		t.Fatalf("stop record %+v", r)
	}
	// A failed audit write is reported even when the action succeeded.
	if _, err := s.StartInstance(context.Background(), in, 0); err == nil {
		t.Fatal("start with a closed audit log: want an error")
	}
}

// gatedStop makes up's stops wait until the returned release is called.
func gatedStop(up *fakeUp) (release func()) {
	up.stopGate = make(chan struct{})
	up.stopEntered = make(chan struct{})
	return func() { close(up.stopGate) }
}

// A stop that is in flight when its session goes away (the user
// disconnects, the server shuts down) still completes, is audited, and
// Drain waits for it: the audit log is closed only after.
func TestSentMutationOutlivesItsSessionAndIsDrained(t *testing.T) {
	up := newFakeUp()
	release := gatedStop(up)
	audit := &memAudit{}
	c := testConsole(t, up, hub.Options{}, audit)
	op := c.session(operator())
	defer op.Close()

	sessCtx, endSession := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := op.StopInstance(sessCtx, model.Instance{ID: "i-alpha", Name: "alpha"})
		done <- err
	}()
	<-up.stopEntered
	endSession() // the user is gone

	drained := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		drained <- c.Drain(ctx)
	}()
	select {
	case <-drained:
		t.Fatal("Drain returned while the stop was still in flight")
	case <-time.After(50 * time.Millisecond):
	}

	release()
	if err := <-done; err != nil {
		t.Fatalf("the stop failed after its session ended: %v", err)
	}
	if err := <-drained; err != nil {
		t.Fatal(err)
	}
	up.mu.Lock()
	cancelled := up.stopCtxDone
	up.mu.Unlock()
	if cancelled {
		t.Fatal("the sent stop was cancelled with its session")
	}
	if n := len(audit.records()); n != 1 {
		t.Fatalf("%d audit records, want 1", n)
	}
	// Nothing in flight: Drain returns at once.
	if err := c.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDrainGivesUpAtItsDeadline(t *testing.T) {
	up := newFakeUp()
	release := gatedStop(up)
	defer release()
	c := testConsole(t, up, hub.Options{}, &memAudit{})
	op := c.session(operator())
	defer op.Close()
	go func() { _, _ = op.StopInstance(context.Background(), model.Instance{ID: "i-alpha"}) }()
	<-up.stopEntered
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := c.Drain(ctx); err == nil {
		t.Fatal("Drain must report actions still in flight at its deadline")
	}
}

func TestSessionForwardsForms(t *testing.T) {
	up := newFakeUp()
	audit := &memAudit{}
	c := testConsole(t, up, hub.Options{}, audit)
	op := c.session(operator())
	defer op.Close()
	v := c.session(viewerActor("eve"))
	defer v.Close()

	// Catalog reads are for everyone.
	if fs, err := v.ListFlavors(context.Background(), client.FlavorOptions{}); err != nil || len(fs) != 1 {
		t.Fatalf("viewer flavors: %v %v", fs, err)
	}
	// Creation is an audited operator mutation.
	req := model.CreateNotebookRequest{Name: "nb"}
	if _, err := v.CreateNotebook(context.Background(), req); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("viewer create: %v", err)
	}
	nb, err := op.CreateNotebook(context.Background(), req)
	if err != nil || nb.Status != "CREATING" {
		t.Fatalf("operator create: %+v %v", nb, err)
	}
	if calls := up.Calls(); !slices.Equal(calls, []string{"create nb"}) {
		t.Fatalf("upstream calls %v", calls)
	}
	recs := audit.records()
	if len(recs) != 2 || recs[0].Result != ResultDenied || recs[1].Result != ResultOK ||
		recs[1].Action != "create" || recs[1].InstanceName != "nb" {
		t.Fatalf("audit %+v", recs)
	}

	// An upstream without the form operations says so.
	up2 := newFakeUp()
	up2.formsUnsupported = true
	s2 := testConsole(t, up2, hub.Options{}, nil).session(operator())
	defer s2.Close()
	if _, err := s2.ListImages(context.Background(), client.ImageOptions{}); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("no forms upstream: %v", err)
	}
}
