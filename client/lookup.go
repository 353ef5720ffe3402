package client

import (
	"context"
	"errors"
	"fmt"

	"matui/model"
)

// Looking an instance up by name: the way back after an ambiguous create
// (IsAmbiguous). Neither generation's create takes a client token or an
// idempotency key, so the only way to know whether a create that timed out
// or got a 5xx happened is to look for what it would have made.

// FindNotebooksByName returns the Gen 2 notebooks named exactly name, in
// the server's order (newest first). feature is FeatureNotebook (also for
// "") or FeatureCodeLab. The server filters by name (the list's name
// parameter, a substring match: reference §3.1), so this costs a page or
// two however large the project is; the exact matches are kept. Names may
// repeat (Gen 2 allows duplicates): compare creation times or IDs with what
// was known before the create to tell a new one from an old one.
func (c *Client) FindNotebooksByName(ctx context.Context, name, feature string) ([]model.Notebook, error) {
	if name == "" {
		return nil, errors.New("find notebooks: empty name")
	}
	nbs, err := c.ListNotebooks(ctx, ListNotebooksOptions{Name: name, Feature: feature})
	if err != nil {
		return nil, fmt.Errorf("find notebooks named %q: %w", name, err)
	}
	var out []model.Notebook
	for _, nb := range nbs {
		if nb.Name == name {
			out = append(out, nb)
		}
	}
	return out, nil
}

// FindDevInstancesByName returns the Gen 1 instances named exactly name.
// The Gen 1 list has no name filter (reference §2.1); it answers every
// instance in one response, so this is one request.
func (c *Client) FindDevInstancesByName(ctx context.Context, name string) ([]model.DevInstance, error) {
	if name == "" {
		return nil, errors.New("find dev instances: empty name")
	}
	resp, err := c.ListDevInstances(ctx, DevListOptions{})
	if err != nil {
		return nil, fmt.Errorf("find dev instances named %q: %w", name, err)
	}
	var out []model.DevInstance
	for _, d := range resp.Instances {
		if d.Name == name {
			out = append(out, d)
		}
	}
	return out, nil
}

// FindInstancesByName is the dashboard's form of the lookups above: the
// instances of generation gen named exactly name, normalised. For Gen 2 it
// looks at billed notebooks and at CodeLab instances, since a create can
// make either.
func (c *Client) FindInstancesByName(ctx context.Context, gen model.Generation, name string) ([]model.Instance, error) {
	var out []model.Instance
	switch gen {
	case model.Gen1:
		devs, err := c.FindDevInstancesByName(ctx, name)
		if err != nil {
			return nil, err
		}
		for _, d := range devs {
			out = append(out, devInstance(d))
		}
	case model.Gen2:
		for _, feature := range []string{FeatureNotebook, FeatureCodeLab} {
			nbs, err := c.FindNotebooksByName(ctx, name, feature)
			if err != nil {
				return nil, err
			}
			for _, nb := range nbs {
				out = append(out, c.instanceFrom(nb))
			}
		}
	default:
		return nil, fmt.Errorf("find instances: unknown generation %d", gen)
	}
	return out, nil
}

// FindInstancesByTags returns the Gen 2 instances (notebooks and CodeLab)
// carrying tags, normalised, with the service's own tags filter: a tag
// search costs the pages of what matches, however large the project is.
// all searches every user's notebooks (an administrator's scope, as
// ListOptions.AllUsers). A partial answer comes with its *PartialError.
func (c *Client) FindInstancesByTags(ctx context.Context, all bool, tags []model.TagFilter) ([]model.Instance, error) {
	if len(tags) == 0 {
		return nil, errors.New("find instances by tags: no tags")
	}
	return c.ListInstancesWith(ctx, ListOptions{AllUsers: all, Tags: tags, Sources: []Source{SourceNotebooks, SourceCodeLab}})
}
