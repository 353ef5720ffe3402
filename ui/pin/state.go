package pin

import (
	"encoding/json"
	"fmt"
	"time"
)

// pinJSON is a pin on disk. What is only true while this process runs (a
// renewal in flight, a retry pause) is not kept: after a restart nothing
// is in flight.
type pinJSON struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	DurationSeconds int64     `json:"duration_seconds"`
	Cap             time.Time `json:"cap"`
	SetAt           time.Time `json:"set_at"`
	SetBy           string    `json:"set_by,omitempty"`
	Renewals        int       `json:"renewals,omitempty"`
	Failures        int       `json:"failures,omitempty"`
	LastError       string    `json:"last_error,omitempty"`
}

type stateJSON struct {
	MarginSeconds int64     `json:"margin_seconds"`
	Pins          []pinJSON `json:"pins"`
}

// MarshalJSON writes the set: its margin and pins, ordered by cap.
func (s *Set) MarshalJSON() ([]byte, error) {
	st := stateJSON{MarginSeconds: int64(s.Margin() / time.Second), Pins: []pinJSON{}}
	for _, p := range s.All() {
		st.Pins = append(st.Pins, pinJSON{ID: p.ID, Name: p.Name, DurationSeconds: int64(p.Duration / time.Second),
			Cap: p.Cap, SetAt: p.SetAt, SetBy: p.SetBy, Renewals: p.Renewals, Failures: p.Failures, LastError: p.LastError})
	}
	return json.Marshal(st)
}

// UnmarshalJSON replaces the set with one MarshalJSON wrote, checking
// every pin as Add would (except against the clock: a cap that passed
// while matui was down ends at the next Plan).
func (s *Set) UnmarshalJSON(b []byte) error {
	var st stateJSON
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("pins: %w", err)
	}
	margin := time.Duration(st.MarginSeconds) * time.Second
	if err := CheckMargin(margin); err != nil {
		return fmt.Errorf("pins: %w", err)
	}
	pins := make(map[string]*Pin, len(st.Pins))
	for i, j := range st.Pins {
		d := time.Duration(j.DurationSeconds) * time.Second
		switch {
		case j.ID == "":
			return fmt.Errorf("pins[%d]: no instance id", i)
		case pins[j.ID] != nil:
			return fmt.Errorf("pins[%d]: instance %s is pinned twice", i, j.ID)
		case j.DurationSeconds < int64(MinRenew/time.Second) || j.DurationSeconds > int64(MaxSpan/time.Second):
			return fmt.Errorf("pins[%d]: duration_seconds %d is out of range (3600 to 86400)", i, j.DurationSeconds)
		case j.Cap.IsZero():
			return fmt.Errorf("pins[%d]: no cap (a pin is never unlimited)", i)
		case j.SetAt.IsZero():
			return fmt.Errorf("pins[%d]: no set_at", i)
		case j.Cap.Sub(j.SetAt) > MaxSpan+time.Minute:
			return fmt.Errorf("pins[%d]: cap is more than 24h after it was set", i)
		}
		pins[j.ID] = &Pin{ID: j.ID, Name: j.Name, Duration: d, Cap: j.Cap, SetAt: j.SetAt, SetBy: j.SetBy,
			Renewals: j.Renewals, Failures: j.Failures, LastError: j.LastError}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.margin, s.pins = margin, pins
	return nil
}
