package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"matui/model"
)

// Dashboard-level operations: what the dashboard's backend interface
// (ui.Backend, declared where it is consumed) asks of a client. They take
// and return the normalised model.Instance and pick the right generation.

// flavorCacheTTL bounds how often ListInstances re-reads the flavor catalog;
// it changes rarely (new flavors, sold-out flags the list does not need).
const flavorCacheTTL = 10 * time.Minute

// ListInstances lists both generations, normalised: Gen 2 with feature
// NOTEBOOK and DEFAULT (the CodeLab instance is hidden otherwise) and Gen 1.
// It collects StreamInstances: the main Gen 2 listing's first request goes
// first; when the service answers it, the others run concurrently. When
// some fail (e.g. Gen 1 is not offered in the region: HTTP 404 /
// APIG.0101) the others are still returned together with a *PartialError
// naming what failed (a missing Gen 1 API is reported once, then skipped
// for gen1AbsentFor); a failing flavor catalog only loses spec details and
// is reported the same way. When every instance listing fails, the result
// is nil and an error naming each failure. The instances come source by
// source (InstanceSources' order), each in the server's order.
func (c *Client) ListInstances(ctx context.Context) ([]model.Instance, error) {
	return c.ListInstancesWith(ctx, ListOptions{})
}

// ListInstancesWith is ListInstances for the sources and scope opts
// selects (e.g. every user's instances).
func (c *Client) ListInstancesWith(ctx context.Context, opts ListOptions) ([]model.Instance, error) {
	got := map[Source][]model.Instance{}
	failed := map[Source]bool{}
	err := c.StreamInstances(ctx, opts, func(p Page) {
		got[p.Source] = append(got[p.Source], p.Instances...)
		if p.Err != nil && !errors.Is(p.Err, ErrPageCap) {
			failed[p.Source] = true // a source that failed part-way lists nothing
		}
	})
	var pe *PartialError
	if err != nil && !errors.As(err, &pe) {
		return nil, err
	}
	var (
		out []model.Instance
		at  = map[string]int{} // by generation/ID: a repeated instance keeps its first place and its last version
	)
	srcs := opts.Sources
	if srcs == nil {
		srcs = InstanceSources()
	}
	for _, src := range srcs {
		if failed[src] {
			continue
		}
		for _, in := range got[src] {
			k := in.Generation.String() + "/" + in.ID
			if i, dup := at[k]; dup {
				// A page delivered again (with the flavor catalog's specs), a
				// page repeated by offset paging, or a server that ignores
				// the feature filter.
				out[i] = in
				continue
			}
			at[k] = len(out)
			out = append(out, in)
		}
	}
	return out, err
}

// gen1AbsentFor is how long ListInstances stops asking for Gen 1 after the
// gateway said the API is not offered in this region: the first listing
// reports it (as a *PartialError), later ones list Gen 2 alone instead of
// repeating a pointless request and warning on every refresh. Regions do
// not gain the historical API, but an hour keeps a misdiagnosis cheap.
const gen1AbsentFor = time.Hour

func (c *Client) gen1Absent() bool {
	c.gen1Mu.Lock()
	defer c.gen1Mu.Unlock()
	return c.now().Before(c.gen1AbsentUntil)
}

func (c *Client) markGen1Absent() {
	c.gen1Mu.Lock()
	defer c.gen1Mu.Unlock()
	c.gen1AbsentUntil = c.now().Add(gen1AbsentFor)
}

// IsAPIAbsent reports whether err says the API itself is not offered
// (HTTP 404 APIG.0101, e.g. Gen 1 in a region without it), as opposed to
// a missing instance: a listing's source that is absent has no instances.
func IsAPIAbsent(err error) bool { return isAPIAbsent(err) }

// GetInstance looks one instance up by ID, normalised, with the API's
// own JSON behind RawJSON: Gen 1 first for IDs of its shape ("DE-…"),
// Gen 2 first otherwise, the other generation when the first says it
// does not exist. It is one or two requests (plus the flavor catalog
// when it is not cached), whatever the project's size. Both saying "not
// found" is an error for which IsNotFound holds.
func (c *Client) GetInstance(ctx context.Context, id string) (model.Instance, error) {
	if err := checkID(id); err != nil {
		return model.Instance{}, err
	}
	gen2 := func() (model.Instance, error) {
		body, err := c.send(ctx, request{method: http.MethodGet, path: "/notebooks/" + id})
		if err != nil {
			return model.Instance{}, err
		}
		flavors, _ := c.flavorCatalog(ctx) // specs in detail; without them they are guessed
		_, in, err := model.DecodeNotebook(body, lookup(flavors))
		return in, err
	}
	gen1 := func() (model.Instance, error) {
		body, err := c.send(ctx, request{method: http.MethodGet, path: "/demanager/instances/" + id})
		if err != nil {
			return model.Instance{}, err
		}
		_, in, err := model.DecodeDevInstance(body)
		return in, err
	}
	first, second := gen2, gen1
	if strings.HasPrefix(id, "DE-") {
		first, second = gen1, gen2
	}
	in, err := first()
	if !IsNotFound(err) && !isAPIAbsent(err) {
		return in, err
	}
	in2, err2 := second()
	if err2 != nil && (IsNotFound(err2) || isAPIAbsent(err2)) && IsNotFound(err) {
		return model.Instance{}, err // "not found" from the generation the ID looked like
	}
	return in2, err2
}

// isAPIAbsent reports the gateway's answer for an API that is not published
// in this region: HTTP 404 with APIG.0101 (or no code at all). A ModelArts
// code means the API exists and something else went wrong.
func isAPIAbsent(err error) bool {
	e, ok := asAPIError(err)
	if !ok || e.HTTPStatus != 404 {
		return false
	}
	return isNoSuchAPI(e) || e.Code == ""
}

// flavorCatalog returns the Gen 2 flavors by ID, fetched at most every
// flavorCacheTTL. A failed refresh keeps serving the previous catalog (and
// reports the error); the lock is held during the fetch so that concurrent
// refreshes do not fetch twice.
func (c *Client) flavorCatalog(ctx context.Context) (map[string]model.NotebookFlavor, error) {
	c.flavorMu.Lock()
	defer c.flavorMu.Unlock()
	now := c.now()
	if c.flavorCache != nil && now.Sub(c.flavorFetched) < flavorCacheTTL && !now.Before(c.flavorFetched) {
		return c.flavorCache, nil
	}
	list, err := c.ListFlavors(ctx, FlavorOptions{})
	if err != nil {
		return c.flavorCache, err
	}
	// CodeLab's free flavors are only listed with feature=DEFAULT; without
	// them the CodeLab row would show a bare "CPU". Best effort: a region
	// that refuses the filter still gets the billed catalog.
	if free, err := c.ListFlavors(ctx, FlavorOptions{Feature: FeatureCodeLab}); err == nil {
		list = append(list, free...)
	}
	m := make(map[string]model.NotebookFlavor, len(list))
	for _, f := range list {
		if _, dup := m[f.ID]; !dup {
			m[f.ID] = f
		}
	}
	c.flavorCache, c.flavorFetched = m, now
	return m, nil
}

// cachedFlavors is the flavor catalog as last fetched (nil before the first
// listing), without a request: an action's answer is normalised with it.
func (c *Client) cachedFlavors() map[string]model.NotebookFlavor {
	c.flavorMu.Lock()
	defer c.flavorMu.Unlock()
	return c.flavorCache
}

// instanceFrom normalises a notebook an action answered with. An empty
// answer (no id: some actions reply 204) gives the zero Instance, which
// tells the caller to wait for the next listing instead.
func (c *Client) instanceFrom(nb model.Notebook) model.Instance {
	if nb.ID == "" {
		return model.Instance{}
	}
	return notebookInstance(nb, c.cachedFlavors())
}

// devActionInstance is inst after a Gen 1 action: the action answers only
// with the new status, so the rest is what the caller already had.
func devActionInstance(inst model.Instance, resp model.DevActionResponse) model.Instance {
	if resp.CurrentStatus == "" {
		return model.Instance{}
	}
	inst.Status = model.NormEnum(resp.CurrentStatus)
	inst.Class = model.ClassOf(model.Gen1, inst.Status)
	return inst
}

// StartInstance starts an instance and returns it as the service answered
// (the zero Instance when the answer said nothing). Gen 2: POST start with
// duration = autoStop in ms, or -1 (no auto-stop) when autoStop ≤ 0. Gen 1:
// action "start"; its auto-stop is part of the instance
// (ModifyDevInstance), so autoStop is ignored there.
func (c *Client) StartInstance(ctx context.Context, inst model.Instance, autoStop time.Duration) (model.Instance, error) {
	switch inst.Generation {
	case model.Gen2:
		ms := int64(-1)
		if autoStop > 0 {
			ms = autoStop.Milliseconds()
		}
		nb, err := c.StartNotebook(ctx, inst.ID, StartOptions{DurationMs: ms})
		return c.instanceFrom(nb), err
	case model.Gen1:
		resp, err := c.DevAction(ctx, inst.ID, model.ActionStart)
		return devActionInstance(inst, resp), err
	}
	return model.Instance{}, unknownGen(inst)
}

// StopInstance stops an instance (Gen 2 POST stop, Gen 1 action "stop")
// and returns it as the service answered.
func (c *Client) StopInstance(ctx context.Context, inst model.Instance) (model.Instance, error) {
	switch inst.Generation {
	case model.Gen2:
		nb, err := c.StopNotebook(ctx, inst.ID)
		return c.instanceFrom(nb), err
	case model.Gen1:
		resp, err := c.DevAction(ctx, inst.ID, model.ActionStop)
		return devActionInstance(inst, resp), err
	}
	return model.Instance{}, unknownGen(inst)
}

// DeleteInstance deletes an instance and its managed storage. Gen 1 refuses
// running instances (ModelArts.6304, IsConflict); Gen 2 accepts them and
// answers with the notebook (status DELETING), or nothing (HTTP 204).
func (c *Client) DeleteInstance(ctx context.Context, inst model.Instance) (model.Instance, error) {
	switch inst.Generation {
	case model.Gen2:
		nb, err := c.DeleteNotebook(ctx, inst.ID)
		return c.instanceFrom(nb), err
	case model.Gen1:
		return model.Instance{}, c.DeleteDevInstance(ctx, inst.ID)
	}
	return model.Instance{}, unknownGen(inst)
}

// RenewLease resets a Gen 2 instance's auto-stop deadline to now + d (the
// server does not add to the remaining time) and returns inst with the
// deadline the answered lease gives. The lease type is kept (an IDLE lease
// stays IDLE). Gen 1 has no renew API: its auto-stop duration can only be
// changed with ModifyDevInstance and applies from the next start, so the
// error wraps errors.ErrUnsupported.
func (c *Client) RenewLease(ctx context.Context, inst model.Instance, d time.Duration) (model.Instance, error) {
	switch inst.Generation {
	case model.Gen2:
		if d <= 0 {
			return model.Instance{}, fmt.Errorf("renew lease of %s: duration must be positive, not %v", inst.Name, d)
		}
		req := model.LeaseReq{Duration: d.Milliseconds(), Type: strings.ToLower(inst.AutoStop.Type)}
		lease, err := c.RenewNotebookLease(ctx, inst.ID, req)
		if err != nil {
			return model.Instance{}, err
		}
		deadline := lease.Deadline()
		if deadline.IsZero() {
			return model.Instance{}, nil // nothing to go by: the next listing tells
		}
		inst.AutoStop.Enabled = true
		inst.AutoStop.Duration = time.Duration(lease.Duration) * time.Millisecond
		inst.AutoStop.Deadline = deadline
		return inst, nil
	case model.Gen1:
		return model.Instance{}, fmt.Errorf("renew lease of %s: Gen 1 (DevEnviron) instances have no lease renewal API; "+
			"the auto-stop duration can be changed but applies only from the next start: %w", inst.Name, errors.ErrUnsupported)
	}
	return model.Instance{}, unknownGen(inst)
}

func unknownGen(inst model.Instance) error {
	return fmt.Errorf("instance %q: unknown API generation %d", inst.ID, int(inst.Generation))
}
