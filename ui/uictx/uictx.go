// Package uictx is the per-program context every component reads: terminal
// size, styles, key map and clocks. The root model owns exactly one and
// hands a pointer to each component at construction, so a theme switch or
// resize is seen everywhere without globals (several dashboards share one
// process under the SSH server).
package uictx

import (
	"time"

	"matui/themes"
	"matui/ui/keys"
)

// Context is shared, mutable, per-program state. Only the root model's
// Update writes it.
type Context struct {
	Width, Height int
	Styles        themes.Styles
	Keys          keys.Map
	// Now is the local clock (toasts, "updated 3s ago", poll scheduling).
	Now func() time.Time
	// ServerNow is the server time sampled at the last tick; countdowns are
	// computed against it so a skewed local clock cannot move a deadline.
	ServerNow time.Time
	// Frame advances once per tick; transitional states use it for their
	// spinner so there is a single timer in the program.
	Frame int
}
