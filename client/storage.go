package client

import (
	"context"
	"net/http"

	"matui/model"
)

// Dynamic storage of a running Gen 2 notebook (reference §3.13): OBS
// buckets, parallel file systems and SFS Turbo shares mounted under
// /data/. Mounting and unmounting are asynchronous: the answer says
// MOUNTING or UNMOUNTING, and ShowStorage (or the notebook's own
// data_volumes) follows the mount to MOUNTED / UNMOUNTED or a *_FAILED
// state.

// AttachStorage is POST /notebooks/{id}/storage. The notebook must be
// RUNNING. Like every POST it is not retried after an answer that may
// have come from ModelArts (see send): a timeout can leave a mount being
// created, which ListStorage shows.
func (c *Client) AttachStorage(ctx context.Context, notebookID string, req model.AttachStorageRequest) (model.DataVolume, error) {
	var m model.DataVolume
	if err := checkID(notebookID); err != nil {
		return m, err
	}
	err := c.do(ctx, request{method: http.MethodPost, path: "/notebooks/" + notebookID + "/storage", body: req}, &m)
	return m, err
}

// ListStorage is GET /notebooks/{id}/storage: every dynamic mount of the
// notebook with its status. The API documents no paging for it.
func (c *Client) ListStorage(ctx context.Context, notebookID string) ([]model.DataVolume, error) {
	if err := checkID(notebookID); err != nil {
		return nil, err
	}
	var page model.Page[model.DataVolume]
	err := c.do(ctx, request{method: http.MethodGet, path: "/notebooks/" + notebookID + "/storage"}, &page)
	return page.Data, err
}

// ShowStorage is GET /notebooks/{id}/storage/{storage_id}. A mount that is
// gone (unmounted a while ago, or its notebook stopped) is an error for
// which IsNotFound holds.
func (c *Client) ShowStorage(ctx context.Context, notebookID, storageID string) (model.DataVolume, error) {
	return c.storageCall(ctx, http.MethodGet, notebookID, storageID)
}

// DetachStorage is DELETE /notebooks/{id}/storage/{storage_id}; the answer
// says UNMOUNTING (or is empty, HTTP 204).
func (c *Client) DetachStorage(ctx context.Context, notebookID, storageID string) (model.DataVolume, error) {
	return c.storageCall(ctx, http.MethodDelete, notebookID, storageID)
}

func (c *Client) storageCall(ctx context.Context, method, notebookID, storageID string) (model.DataVolume, error) {
	var m model.DataVolume
	if err := checkID(notebookID); err != nil {
		return m, err
	}
	if err := checkID(storageID); err != nil {
		return m, err
	}
	err := c.do(ctx, request{method: method, path: "/notebooks/" + notebookID + "/storage/" + storageID}, &m)
	return m, err
}
