package sshserve

import (
	"context"
	"io"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/ssh"
	uv "github.com/charmbracelet/ultraviolet"
)

// A session's input reaches its program through the two pumps below instead
// of the program's own reader and wish's resize relay, both of which can be
// driven by a hostile client into holding a session (and its memory) for
// good:
//
//   - The program's reader hands every parsed event to the program's
//     unbuffered message channel and cannot be stopped while it does: events
//     that are in hand when the program exits are never taken, and the
//     reader — with the whole program behind it — stays blocked for as long
//     as the process lives (a keystroke flood then a disconnect leaked
//     hundreds of MB).
//   - The resize relay calls p.Send for each window change. While it waits,
//     nobody takes the next change from the SSH library, whose request loop
//     then blocks, and behind it the connection's mux loop: that loop also
//     reads the client's window adjusts, which the renderer needs to write,
//     and the program cannot take the resize until it has written. A
//     window-change storm closed that circle in seconds.
//
// So the program reads an empty input (its terminal queries still go out,
// and their replies come back through inputPump like every key), and both
// pumps read their source until it ends, never waiting on the program to
// do so.

// noInput is the program's own input: it ends at once, so the program's
// reader stops before it starts.
type noInput struct{}

func (noInput) Read([]byte) (int, error) { return 0, io.EOF }

// inputQueue bounds the parsed events waiting for a busy program; when it
// is full the pump stops reading, and SSH flow control holds the client.
const inputQueue = 64

// pumpInput parses what the client types (r, with the client's terminal
// type term) and hands each event to send until ctx ends. It reads r until
// r ends (the SSH channel closes), dropping what arrives after ctx ends;
// done is closed when it has stopped. send may block: the pump waits, with
// at most inputQueue events queued.
func pumpInput(ctx context.Context, r io.Reader, term string, send func(tea.Msg)) (done <-chan struct{}) {
	events := make(chan uv.Event, inputQueue)
	finished := make(chan struct{})
	reader := uv.NewTerminalReader(r, term)
	go func() {
		// StreamEvents returns when ctx has ended and r has; its error is
		// the channel's, which ends the session anyway.
		_ = reader.StreamEvents(ctx, events)
		close(events)
	}()
	go func() {
		defer close(finished)
		for ev := range events {
			if ctx.Err() == nil {
				send(ev)
			}
		}
	}()
	return finished
}

// resizeEvery is the least time between two sizes handed to a program:
// each one costs a full layout and repaint, and a window being dragged
// needs no more than this to follow smoothly.
const resizeEvery = 50 * time.Millisecond

// relayResizes hands the client's window changes to send, the latest size
// winning: the changes are taken from winCh as fast as they come (until the
// SSH library closes it) and only the newest one not yet sent waits for
// send, which is called at most once per resizeEvery. It stops sending when
// ctx ends; done is closed then.
func relayResizes(ctx context.Context, winCh <-chan ssh.Window, send func(tea.Msg)) (done <-chan struct{}) {
	var (
		mu     sync.Mutex
		latest *ssh.Window
	)
	kick := make(chan struct{}, 1)
	go func() {
		for w := range winCh {
			if w.Width <= 0 || w.Height <= 0 {
				continue // a client without a terminal: keep the 80×24 fallback
			}
			mu.Lock()
			latest = &w
			mu.Unlock()
			select {
			case kick <- struct{}{}:
			default: // a send is already due; it will take this size
			}
		}
	}()
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		pause := time.NewTimer(resizeEvery)
		defer pause.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
			}
			mu.Lock()
			w := latest
			latest = nil
			mu.Unlock()
			if w == nil {
				continue
			}
			send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			pause.Reset(resizeEvery)
			select {
			case <-ctx.Done():
				return
			case <-pause.C:
			}
		}
	}()
	return finished
}
