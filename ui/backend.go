package ui

import (
	"context"
	"time"

	"matui/client"
	"matui/model"
)

// Backend is everything the dashboard asks of ModelArts: the listing, the
// lifecycle actions, and the catalogs and calls of the forms. It is declared
// here, where it is consumed, and nowhere else. *client.Client implements it
// against the real API (and the simulator); matui serve's sessions
// implement it over one shared client, adding roles and the audit log.
//
// A backend that cannot do an operation returns an error wrapping
// errors.ErrUnsupported; the dashboard then says so where the user asked
// (nothing is hidden by a type assertion).
type Backend interface {
	// ListInstances lists both generations, normalised. An error together
	// with instances is a partial listing (*client.PartialError).
	ListInstances(ctx context.Context) ([]model.Instance, error)
	// Poll starts the next poll of the listing, in every user's scope or
	// the user's own, as pages (client.Page's contract: the first page is
	// on screen at once, a later poll carries only what changed, a failed
	// source keeps its rows). The backend remembers what each scope has
	// seen. Touched and Resync steer the next poll: an instance was acted
	// on; list everything in full (the user pressed r).
	Poll(ctx context.Context, allUsers bool) *client.Listing
	Touched(inst model.Instance)
	Resync()

	// The lifecycle actions return the instance as the service answered
	// (the dashboard updates its row at once), or the zero Instance when
	// the answer said nothing about it (the next listing tells).
	//
	// StartInstance starts an instance; autoStop ≤ 0 means no auto-stop
	// (Gen 2); Gen 1 keeps its own configured auto-stop.
	StartInstance(ctx context.Context, inst model.Instance, autoStop time.Duration) (model.Instance, error)
	StopInstance(ctx context.Context, inst model.Instance) (model.Instance, error)
	DeleteInstance(ctx context.Context, inst model.Instance) (model.Instance, error)
	// RenewLease resets the auto-stop deadline to now+d; Gen 1 returns an
	// error wrapping errors.ErrUnsupported.
	RenewLease(ctx context.Context, inst model.Instance, d time.Duration) (model.Instance, error)

	// Catalogs for the forms and the browsers.
	ListFlavors(ctx context.Context, opts client.FlavorOptions) ([]model.NotebookFlavor, error)
	ListSwitchableFlavors(ctx context.Context, id string) ([]model.NotebookFlavor, error)
	ListImages(ctx context.Context, opts client.ImageOptions) ([]model.Image, error)

	// What the forms submit.
	CreateNotebook(ctx context.Context, req model.CreateNotebookRequest) (model.Notebook, error)
	UpdateNotebook(ctx context.Context, id string, req model.UpdateNotebookRequest) (model.Notebook, error)
	CreateDevInstance(ctx context.Context, req model.CreateDevInstanceRequest) (model.DevInstance, error)
	ModifyDevInstance(ctx context.Context, id string, req model.ModifyDevInstanceRequest) (model.DevInstance, error)
	OpenCodeLab(ctx context.Context, req model.OpenCodeLabRequest) (model.Notebook, error)

	// A running Gen 2 notebook's dynamic storage, tags and images.
	AttachStorage(ctx context.Context, notebookID string, req model.AttachStorageRequest) (model.DataVolume, error)
	DetachStorage(ctx context.Context, notebookID, storageID string) (model.DataVolume, error)
	AddNotebookTags(ctx context.Context, notebookID string, tags []model.Tag) error
	RemoveNotebookTags(ctx context.Context, notebookID string, tags []model.Tag) error
	SaveImage(ctx context.Context, notebookID string, req model.CreateImageRequest) (model.Image, error)
	// FindInstancesByName finds the instances of a generation with exactly
	// this name: after a create whose outcome is unknown (a timeout, a 5xx
	// after sending), it tells whether the create happened.
	FindInstancesByName(ctx context.Context, gen model.Generation, name string) ([]model.Instance, error)
	// FindInstancesByTags asks the service for the Gen 2 instances
	// carrying tags (the list API's tags filter) in every user's scope or
	// the user's own: the / filter's tag terms, answered at the cost of
	// what matches while a large listing is still loading.
	FindInstancesByTags(ctx context.Context, allUsers bool, tags []model.TagFilter) ([]model.Instance, error)

	// ListPools lists the resource pools (dedicated ones for the forms'
	// pool picker and :pools).
	ListPools(ctx context.Context, opts client.PoolOptions) ([]model.Cluster, error)

	// ServerNow is the server clock (local clock + offset from the Date
	// header). The dashboard calls it once per tick from Update, so it
	// must be cheap and safe to call while other methods run.
	ServerNow() time.Time
	// Describe is a one-line description of endpoint and credentials
	// (never a secret).
	Describe() string
}

var _ Backend = (*client.Client)(nil)
