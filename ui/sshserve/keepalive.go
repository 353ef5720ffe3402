package sshserve

import (
	"context"
	"sync"
	"time"

	"charm.land/log/v2"

	"matui/model"
	"matui/ui"
	"matui/ui/pin"
)

// Keep-alive pins on a shared console live in the server: a pin outlives
// the session that set it, and the server renews pinned instances whoever
// is connected. Setting and removing a pin is an operator's audited
// action; each renewal the server sends is audited as the keep-alive's.

// keepAliveEvery is how often the server looks at its pins; well inside
// the smallest margin (1 min).
const keepAliveEvery = 10 * time.Second

// keeper renews the console's pinned instances. It reads the shared
// listing without a hub.Reader: a list that is fresh for the dashboards
// (a quiet one for SlowAge) is fresh enough for it, so its looks cost the
// cloud nothing beyond one dashboard's polls.
type keeper struct {
	set     *pin.Set
	console *console
	renewer *sessionBackend // audited as the keep-alive
	log     *log.Logger     // where an ended pin is told: no session may be watching
	wg      sync.WaitGroup
}

func newKeeper(c *console, set *pin.Set, logger *log.Logger) *keeper {
	return &keeper{set: set, console: c, log: logger,
		renewer: c.session(Actor{Identity: Identity{Name: "keep-alive", Role: RoleOperator}})}
}

// ended logs a pin that ended and why (a dashboard's own pins say it in a
// toast; the server's may have nobody connected).
func (k *keeper) ended(e pin.Ended) {
	k.log.Warn("keep-alive ended", "instance", e.Pin.ID, "name", cleanName(e.Pin.Name), "reason", e.Reason.String(),
		"pinned-by", e.Pin.SetBy, "last-error", e.Pin.LastError)
}

// run renews until ctx ends.
func (k *keeper) run(ctx context.Context) {
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		t := time.NewTicker(keepAliveEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				k.once(ctx)
			}
		}
	}()
}

// wait returns once run has ended.
func (k *keeper) wait() { k.wg.Wait() }

// once plans and sends the renewals due now.
func (k *keeper) once(ctx context.Context) {
	if k.set.Len() == 0 {
		return
	}
	lctx, cancel := context.WithTimeout(ctx, time.Minute)
	insts, err := k.console.listing.List(lctx)
	cancel()
	if err != nil && insts == nil {
		return // not from a failed listing: every pin would look gone
	}
	byID := make(map[string]model.Instance, len(insts))
	for _, in := range insts {
		byID[in.ID] = in
	}
	now := k.console.upstream.ServerNow()
	renew, ended := k.set.Plan(now, func(id string) (model.Instance, bool) { in, ok := byID[id]; return in, ok })
	for _, e := range ended {
		k.ended(e)
	}
	for i, r := range renew {
		if ctx.Err() != nil {
			// Shutting down: a renewal is sent detached from ctx (it must
			// be audited), so the rest are answered here, not sent.
			for _, r := range renew[i:] {
				k.set.Done(r.ID, now, time.Time{}, ctx.Err())
			}
			return
		}
		answer, err := k.renewer.RenewLease(ctx, byID[r.ID], r.Duration)
		if e := k.set.Done(r.ID, k.console.upstream.ServerNow(), answer.AutoStop.Deadline, err); e != nil {
			k.ended(*e)
		}
	}
}

// sessionPins is a session's view of the console's pins: operators pin
// and unpin, audited; viewers only see them.
type sessionPins struct {
	set     *pin.Set
	backend *sessionBackend
}

var _ ui.Pins = sessionPins{}

func (p sessionPins) Add(in model.Instance, d time.Duration, cap, now time.Time, by string) (pin.Pin, error) {
	var out pin.Pin
	err := p.backend.mutate(context.Background(), "pin", in, "until "+cap.UTC().Format(time.RFC3339), func(context.Context) error {
		var err error
		out, err = p.set.Add(in, d, cap, now, p.backend.actor.Who())
		return err
	})
	return out, err
}

func (p sessionPins) Remove(id string) (pin.Pin, bool) {
	cur, ok := p.set.Get(id)
	if !ok {
		return pin.Pin{}, false
	}
	var removed bool
	err := p.backend.mutate(context.Background(), "unpin", model.Instance{ID: id, Name: cur.Name}, "", func(context.Context) error {
		cur, removed = p.set.Remove(id)
		return nil
	})
	return cur, err == nil && removed
}

func (p sessionPins) Get(id string) (pin.Pin, bool) { return p.set.Get(id) }
func (p sessionPins) Len() int                      { return p.set.Len() }
func (p sessionPins) Version() uint64               { return p.set.Version() }
