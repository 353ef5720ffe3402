package sshserve

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/ssh"
)

// Window changes are taken as fast as they come while the program is busy,
// and the program gets the latest size, not a backlog.
func TestResizesAreCoalescedWithoutBlockingTheReader(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	winCh := make(chan ssh.Window) // unbuffered: every send needs the relay to take it
	release := make(chan struct{})
	got := make(chan tea.WindowSizeMsg, 16)
	done := relayResizes(ctx, winCh, func(msg tea.Msg) {
		<-release // the program is busy
		got <- msg.(tea.WindowSizeMsg)
	})
	const storm = 10_000
	for i := range storm {
		winCh <- ssh.Window{Width: 10 + i, Height: 5} // would block for good if the relay waited on the program
	}
	winCh <- ssh.Window{Width: 0, Height: 0} // no terminal: ignored
	close(release)
	seen := 0
	for {
		ws := <-got
		seen++
		if ws.Width == 10+storm-1 {
			break
		}
	}
	if seen > 2 {
		t.Fatalf("the program got %d sizes for one busy spell, want the first and the latest", seen)
	}
	cancel()
	close(winCh)
	<-done
}
