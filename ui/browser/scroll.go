package browser

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"matui/ui/keys"
)

// Scroll is a cursor over a list of rows and the window of rows that shows
// it: the browser's, and that of the other read-only lists over the
// dashboard (:usage).
type Scroll struct {
	Cursor int // index of the selected row
	offset int // first row shown
	height int // rows shown by the last Window (a page is one less)
}

// Key moves the cursor for a navigation key (up, down, page up and down,
// top, bottom) over n rows, and reports whether k was one.
func (s *Scroll) Key(k tea.KeyPressMsg, km *keys.Map, n int) bool {
	page := max(s.height-1, 1)
	switch {
	case key.Matches(k, km.Up):
		s.Cursor--
	case key.Matches(k, km.Down):
		s.Cursor++
	case key.Matches(k, km.PageUp):
		s.Cursor -= page
	case key.Matches(k, km.PageDown):
		s.Cursor += page
	case key.Matches(k, km.Top):
		s.Cursor = 0
	case key.Matches(k, km.Bottom):
		s.Cursor = n - 1
	default:
		return false
	}
	s.Clamp(n)
	return true
}

// Clamp keeps the cursor on one of n rows (0 when there are none).
func (s *Scroll) Clamp(n int) { s.Cursor = max(min(s.Cursor, n-1), 0) }

// Window is the rows [from, to) of n that height lines show, the cursor's
// among them.
func (s *Scroll) Window(n, height int) (from, to int) {
	s.height = max(height, 1)
	if s.Cursor < s.offset {
		s.offset = s.Cursor
	}
	if s.Cursor >= s.offset+s.height {
		s.offset = s.Cursor - s.height + 1
	}
	s.offset = max(min(s.offset, n-s.height), 0)
	return s.offset, min(n, s.offset+s.height)
}
