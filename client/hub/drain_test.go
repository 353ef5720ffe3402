package hub

import (
	"context"
	"sync"
	"testing"
	"time"

	"matui/model"
)

// blockingStop is an upstream whose stop waits until released, and records
// whether its context was cancelled underneath it.
type blockingStop struct {
	*fakeUp
	release   chan struct{}
	entered   chan struct{}
	cancelled bool
}

func (b *blockingStop) StopInstance(ctx context.Context, in model.Instance) (model.Instance, error) {
	close(b.entered)
	select {
	case <-b.release:
	case <-ctx.Done():
		b.cancelled = true
		return model.Instance{}, ctx.Err()
	}
	return b.fakeUp.StopInstance(ctx, in)
}

type memAuditor struct {
	mu   sync.Mutex
	recs []Record
}

func (m *memAuditor) Record(r Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return nil
}

func (m *memAuditor) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.recs)
}

// A stop that is in flight when its session goes away (the user
// disconnects, the server shuts down) still completes, is audited, and
// Drain waits for it: the audit log is closed only after.
func TestSentMutationOutlivesItsSessionAndIsDrained(t *testing.T) {
	up := &blockingStop{fakeUp: newFake(), release: make(chan struct{}), entered: make(chan struct{})}
	h := New(up, Options{})
	defer h.Close()
	audit := &memAuditor{}
	op := h.Session(operator(), audit)
	defer op.Close()

	sessCtx, endSession := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := op.StopInstance(sessCtx, model.Instance{ID: "i-1", Name: "alpha"}); done <- err }()
	<-up.entered
	endSession() // the user is gone

	drained := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		drained <- h.Drain(ctx)
	}()
	select {
	case <-drained:
		t.Fatal("Drain returned while the stop was still in flight")
	case <-time.After(50 * time.Millisecond):
	}

	close(up.release)
	if err := <-done; err != nil {
		t.Fatalf("the stop failed after its session ended: %v", err)
	}
	if err := <-drained; err != nil {
		t.Fatal(err)
	}
	if up.cancelled {
		t.Fatal("the sent stop was cancelled with its session")
	}
	if audit.count() != 1 {
		t.Fatalf("%d audit records, want 1", audit.count())
	}
	// Nothing in flight: Drain returns at once.
	if err := h.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDrainGivesUpAtItsDeadline(t *testing.T) {
	up := &blockingStop{fakeUp: newFake(), release: make(chan struct{}), entered: make(chan struct{})}
	h := New(up, Options{})
	defer func() { close(up.release); h.Close() }()
	op := h.Session(operator(), &memAuditor{})
	defer op.Close()
	go func() { _, _ = op.StopInstance(context.Background(), model.Instance{ID: "i-1"}) }()
	<-up.entered
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := h.Drain(ctx); err == nil {
		t.Fatal("Drain must report actions still in flight at its deadline")
	}
}
