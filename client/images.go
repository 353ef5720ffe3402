package client

import (
	"context"
	"net/http"

	"matui/model"
)

// SaveImage is POST /notebooks/{id}/create-image (the SDK's CreateImage):
// it saves a RUNNING notebook as a private image. The notebook goes
// SNAPSHOTTING and back to RUNNING; the image (the answer, status INIT)
// is listed by ListImages with Type DEDICATED and becomes ACTIVE — poll
// ShowImage. Not retried after an ambiguous failure (see send).
func (c *Client) SaveImage(ctx context.Context, notebookID string, req model.CreateImageRequest) (model.Image, error) {
	var im model.Image
	if err := checkID(notebookID); err != nil {
		return im, err
	}
	err := c.do(ctx, request{method: http.MethodPost, path: "/notebooks/" + notebookID + "/create-image", body: req}, &im)
	return im, err
}

// ShowImage is GET /images/{id}.
func (c *Client) ShowImage(ctx context.Context, imageID string) (model.Image, error) {
	var im model.Image
	if err := checkID(imageID); err != nil {
		return im, err
	}
	err := c.do(ctx, request{method: http.MethodGet, path: "/images/" + imageID}, &im)
	return im, err
}
