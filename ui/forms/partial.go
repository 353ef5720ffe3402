package forms

import (
	"context"
	"strings"

	"matui/ui/overlay"
	"matui/ui/text"
)

// A submission that takes several calls (update a notebook, then change its
// tags, which PUT /notebooks does not carry) runs them in order and stops
// at the first failure. When a call before it was applied, that is neither
// a success nor a clean refusal: Run returns a *PartialError, which says
// exactly what was applied, what failed and what was not sent, and carries
// the instance as the applied calls left it.

// Step is one call of a multi-call submission.
type Step struct {
	// What says what the call does, for the report ("updating name,
	// description", "adding tags team=nlp").
	What string
	Run  func(context.Context) error
}

// PartialError is the failure of a step after at least one step before it
// was applied. It unwraps to the failed step's error, so that the field
// mapping (ServerFieldError) finds its code.
type PartialError struct {
	// Applied is what the applied steps changed: the dashboard can show it
	// in the list as a successful submission's Change.
	Applied overlay.Change
	Done    []string // the applied steps, in order
	Failed  string   // the step that failed
	NotSent []string // the steps after it
	Err     error    // the failed step's error
}

func (e *PartialError) Error() string {
	var b strings.Builder
	b.WriteString("applied: " + strings.Join(e.Done, "; "))
	b.WriteString(" — failed: " + e.Failed + ": " + text.Sanitize(e.Err.Error()))
	if len(e.NotSent) > 0 {
		b.WriteString(" — not sent: " + strings.Join(e.NotSent, "; "))
	}
	return b.String()
}

func (e *PartialError) Unwrap() error { return e.Err }

// RunSteps runs steps in order. It returns nil when all succeed, the
// failed step's own error when the first one fails (nothing was applied),
// and a *PartialError otherwise, whose Applied is applied(n): the change
// the first n steps made.
func RunSteps(ctx context.Context, steps []Step, applied func(n int) overlay.Change) error {
	for i, s := range steps {
		err := s.Run(ctx)
		if err == nil {
			continue
		}
		if i == 0 {
			return err
		}
		p := &PartialError{Applied: applied(i), Failed: s.What, Err: err}
		for _, d := range steps[:i] {
			p.Done = append(p.Done, d.What)
		}
		for _, n := range steps[i+1:] {
			p.NotSent = append(p.NotSent, n.What)
		}
		return p
	}
	return nil
}
