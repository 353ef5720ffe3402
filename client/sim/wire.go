package sim

import (
	"cmp"
	"slices"

	"matui/model"
)

// Response shapes. The simulator deliberately does not reuse the client's
// decoding types from package model: it renders what the reference
// documents, so that the contract tests catch the client and the
// reference drifting apart instead of both sides sharing one mistake.
// Request bodies, by contrast, are decoded with model's request types so
// that the simulator runs the very validators the UI's forms use.

// ---- Gen 2 ----

type listEnvelope[T any] struct {
	Current int `json:"current"`
	Data    []T `json:"data"`
	Pages   int `json:"pages"`
	Size    int `json:"size"`
	Total   int `json:"total"`
}

type flavorEnvelope struct {
	listEnvelope[flavorResp]
	Flavors []flavorResp `json:"flavors"`
}

type imageRef struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	SwrPath     string `json:"swr_path"`
	Tag         string `json:"tag"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

type leaseResp struct {
	CreateAt int64  `json:"create_at"`
	Duration int64  `json:"duration"`
	Enable   bool   `json:"enable"`
	Type     string `json:"type,omitempty"` // seed 003: absent on the CodeLab instance
	UpdateAt int64  `json:"update_at"`
}

type progressResp struct {
	Step        int    `json:"step"`
	Status      string `json:"status"`
	Description string `json:"description"`
}

type endpointResp struct {
	Service          string   `json:"service"`
	DevService       string   `json:"dev_service"` // older name, still sent (reference §3.0)
	URI              string   `json:"uri,omitempty"`
	KeyPairNames     []string `json:"key_pair_names,omitempty"`
	AllowedAccessIPs []string `json:"allowed_access_ips,omitempty"`
}

type volumeResp struct {
	Category  string `json:"category"`
	Ownership string `json:"ownership"`
	Capacity  int    `json:"capacity"`
	MountPath string `json:"mount_path"`
	Status    string `json:"status,omitempty"`
	ReadOnly  bool   `json:"read_only"`
	ID        string `json:"id,omitempty"`
	URI       string `json:"uri,omitempty"`
}

type poolRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type domainResp struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type userResp struct {
	ID     string     `json:"id"`
	Name   string     `json:"name"`
	Domain domainResp `json:"domain"`
}

type notebookResp struct {
	ID             string             `json:"id"`
	Name           string             `json:"name"`
	Description    string             `json:"description"`
	Status         string             `json:"status"`
	Feature        string             `json:"feature"`
	Flavor         string             `json:"flavor"`
	CustomSpec     *model.CustomSpec  `json:"custom_spec,omitempty"`
	Image          imageRef           `json:"image"`
	Lease          leaseResp          `json:"lease"`
	ActionProgress []progressResp     `json:"action_progress,omitempty"`
	Endpoints      []endpointResp     `json:"endpoints,omitempty"`
	URL            string             `json:"url"`
	Token          string             `json:"token"`
	Volume         volumeResp         `json:"volume"`
	DataVolumes    []mountResp        `json:"data_volumes"`
	Pool           *poolRef           `json:"pool,omitempty"`
	Affinity       *model.Affinity    `json:"affinity,omitempty"`
	Hooks          *model.CustomHooks `json:"hooks,omitempty"`
	FailReason     string             `json:"fail_reason,omitempty"`
	WorkspaceID    string             `json:"workspace_id"`
	BillingItems   []string           `json:"billing_items"`
	User           userResp           `json:"user"`
	UserID         string             `json:"user_id"`
	Tags           []tagResp          `json:"tags"`
	CreateAt       int64              `json:"create_at"`
	UpdateAt       int64              `json:"update_at"`
}

type tagResp struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type flavorResp struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Arch        string      `json:"arch"`
	Category    string      `json:"category"`
	Feature     string      `json:"feature"`
	Free        bool        `json:"free"`
	SoldOut     bool        `json:"sold_out"`
	VCPUs       int         `json:"vcpus"`
	Memory      int64       `json:"memory"`
	GPU         *gpuInfo    `json:"gpu,omitempty"`
	Ascend      *ascendInfo `json:"ascend,omitempty"`
	Billing     billingResp `json:"billing"`
	Storages    []string    `json:"storages"`
}

type billingResp struct {
	Code    string `json:"code"`
	UnitNum int    `json:"unit_num"`
}

type imageResp struct {
	ID                   string   `json:"id"`
	Name                 string   `json:"name"`
	Namespace            string   `json:"namespace"`
	Tag                  string   `json:"tag"`
	SwrPath              string   `json:"swr_path"`
	Description          string   `json:"description"`
	Arch                 string   `json:"arch"`
	Type                 string   `json:"type"`
	Origin               string   `json:"origin"`
	ServiceType          string   `json:"service_type"`
	DevServices          []string `json:"dev_services"`
	ResourceCategories   []string `json:"resource_categories"`
	SupportResCategories []string `json:"support_res_categories"`
	Status               string   `json:"status"`
	StatusMessage        string   `json:"status_message,omitempty"`
	Size                 int64    `json:"size"`
	Visibility           string   `json:"visibility"`
	WorkspaceID          string   `json:"workspace_id"`
	FlavorType           string   `json:"flavor_type,omitempty"`
	CreateAt             int64    `json:"create_at"`
	UpdateAt             int64    `json:"update_at"`
}

var stepDescriptions = [4]string{
	"Prepare the storage.",
	"Prepare the compute resource.",
	"Configuring the network.",
	"Initialize the notebook instance.",
}

func (st *state) renderNB(nb *notebook, now int64) notebookResp {
	r := notebookResp{
		ID:           nb.id,
		Name:         nb.name,
		Description:  nb.desc,
		Status:       nb.status,
		Feature:      nb.feature,
		Flavor:       nb.flavor,
		CustomSpec:   nb.customSpec,
		URL:          "https://authoring-modelarts-eu-de.otc.t-systems.com/" + nb.id + "/lab",
		Token:        nb.token,
		DataVolumes:  make([]mountResp, 0, len(nb.mounts)),
		Hooks:        nb.hooks,
		FailReason:   nb.failReason,
		WorkspaceID:  nb.workspace,
		BillingItems: []string{"COMPUTE"},
		User:         userResp{ID: nb.owner.ID, Name: nb.owner.Name, Domain: domainResp{ID: nb.owner.DomainID, Name: nb.owner.DomainName}},
		UserID:       nb.owner.ID,
		Tags:         make([]tagResp, 0, len(nb.tags)),
		CreateAt:     nb.createAt,
		UpdateAt:     nb.updateAt,
		Lease: leaseResp{CreateAt: nb.lease.createAt, Duration: nb.lease.duration, Enable: nb.lease.enable,
			Type: nb.lease.typ, UpdateAt: nb.lease.updateAt},
		Volume: volumeResp{Category: nb.volume.category, Ownership: nb.volume.ownership, Capacity: nb.volume.capacity,
			MountPath: nb.volume.mountPath, Status: nb.volume.status, ReadOnly: nb.volume.readOnly, ID: nb.volume.id, URI: nb.volume.uri},
	}
	if im := st.imageByID(nb.imageID); im != nil {
		r.Image = imageRef{ID: im.ID, Name: im.Name, SwrPath: im.swrPath(), Tag: im.Tag, Type: im.Type, Description: im.Description}
	}
	for _, m := range nb.mounts {
		r.DataVolumes = append(r.DataVolumes, renderMount(m))
	}
	for _, t := range nb.tags {
		r.Tags = append(r.Tags, tagResp(t))
	}
	if nb.volume.category == "EVS" || nb.volume.category == "EFS" {
		r.BillingItems = []string{"COMPUTE", "STORAGE"}
	}
	switch nb.status {
	case "CREATING", "CREATE_FAILED":
		r.ActionProgress = nb.progress(now)
	}
	r.Endpoints = append(r.Endpoints, endpointResp{Service: "NOTEBOOK", DevService: "NOTEBOOK", URI: r.URL})
	for _, ep := range nb.endpoints {
		if ep.Service == "SSH" || ep.Service == "" && len(ep.KeyPairNames) > 0 {
			r.Endpoints = append(r.Endpoints, endpointResp{Service: "SSH", DevService: "SSH",
				URI: "192.168.0." + itoa(int64(nb.seq%200+20)), KeyPairNames: ep.KeyPairNames, AllowedAccessIPs: ep.AllowedAccessIPs})
		}
	}
	if nb.poolID != "" {
		r.Pool = &poolRef{ID: nb.poolID}
		if cl := st.cat.cluster(nb.poolID); cl != nil {
			r.Pool.Name = cl.Name
		}
		if len(nb.affinity.Required) > 0 || len(nb.affinity.Preferred) > 0 {
			a := model.Affinity{Required: nonNil(nb.affinity.Required), Preferred: nonNil(nb.affinity.Preferred)}
			r.Affinity = &a
		}
	}
	return r
}

func nonNil(r []model.AffinityRule) []model.AffinityRule {
	if r == nil {
		return []model.AffinityRule{}
	}
	return r
}

// progress derives action_progress from how long the instance has been
// creating: a WAITING period of one step, then steps 1–4 one at a time
// WAITING → PROCESSING → COMPLETED.
func (nb *notebook) progress(now int64) []progressResp {
	out := make([]progressResp, 4)
	el := now - nb.since
	for i := range out {
		k := i + 1
		st := "WAITING"
		switch {
		case nb.status == "CREATE_FAILED":
			switch {
			case k < nb.failedStep:
				st = "COMPLETED"
			case k == nb.failedStep:
				st = "FAILED"
			}
		case el >= int64(k+1)*stepMs:
			st = "COMPLETED"
		case el >= int64(k)*stepMs:
			st = "PROCESSING"
		}
		out[i] = progressResp{Step: k, Status: st, Description: stepDescriptions[i]}
	}
	return out
}

func renderFlavor(f *flavor) flavorResp {
	return flavorResp{ID: f.ID, Name: f.Name, Description: f.Description, Arch: f.Arch, Category: f.Category,
		Feature: f.Feature, Free: f.Free, SoldOut: f.SoldOut, VCPUs: f.VCPUs, Memory: f.MemoryKiB,
		GPU: f.GPU, Ascend: f.Ascend, Billing: billingResp{Code: f.BillingCode, UnitNum: f.UnitNum}, Storages: slices.Clone(f.Storages)}
}

func renderImage(im *image, now int64) imageResp {
	return imageResp{ID: im.ID, Name: im.Name, Namespace: im.Namespace, Tag: im.Tag, SwrPath: im.swrPath(),
		Description: im.Description, Arch: im.Arch, Type: im.Type, Origin: im.Origin, ServiceType: im.ServiceType,
		DevServices: im.DevServices, ResourceCategories: im.ResourceCategories, SupportResCategories: im.ResourceCategories,
		Status: im.statusAt(now), StatusMessage: im.statusMessage, Size: im.SizeKB, Visibility: im.Visibility,
		WorkspaceID: cmp.Or(im.WorkspaceID, "0"), FlavorType: im.FlavorType, CreateAt: im.CreateAt, UpdateAt: im.UpdateAt}
}

// ---- Gen 1 ----

type devListResp struct {
	TotalCount int       `json:"total_count"`
	Instances  []devResp `json:"instances"`
}

type devResp struct {
	ID                    string            `json:"id"`
	Name                  string            `json:"name"`
	Description           string            `json:"description"`
	Status                string            `json:"status"`
	CreationTimestamp     string            `json:"creation_timestamp"`      // a string (reference §1)
	LatestUpdateTimestamp string            `json:"latest_update_timestamp"` // a string
	Flavor                string            `json:"flavor"`
	FlavorDetails         flavorDetailsResp `json:"flavor_details"`
	Profile               profileResp       `json:"profile"`
	Spec                  devSpecResp       `json:"spec"`
	Workspace             idResp            `json:"workspace"`
	Pool                  *devPoolResp      `json:"pool,omitempty"`
	AIProject             idResp            `json:"ai_project"`
	ErrorCode             string            `json:"error_code,omitempty"`
	QueuingInfo           *queuingInfoResp  `json:"queuing_info,omitempty"`
	User                  devUserResp       `json:"user"`
}

type idResp struct {
	ID string `json:"id"`
}

type devUserResp struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type devPoolResp struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	Type  string       `json:"type"`
	Owner devPoolOwner `json:"owner"`
}

type devPoolOwner struct {
	ProjectID string `json:"project_id"`
}

type flavorDetailsResp struct {
	Name          string         `json:"name"`
	Status        string         `json:"status"` // onSale / soldOut
	QueuingNum    *int           `json:"queuing_num,omitempty"`
	QueueLeftTime *int64         `json:"queue_left_time,omitempty"`
	StorageList   []string       `json:"storage_list"`
	IsPermitted   bool           `json:"is_permitted"`
	Type          string         `json:"type"`
	Params        map[string]any `json:"params"`
	PromoType     string         `json:"promo_type"`
	Duration      int            `json:"duration"`
	StoreTime     int            `json:"store_time"`
	BillingFlavor string         `json:"billing_flavor,omitempty"`
	BillingParams int            `json:"billing_params,omitempty"`
}

type profileResp struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	DeType      string            `json:"de_type"`
	FlavorType  string            `json:"flavor_type"`
	Provision   provisionResp     `json:"provision"`
	Labels      map[string]string `json:"labels,omitempty"`
}

type provisionResp struct {
	Type string            `json:"type"`
	Spec provisionSpecResp `json:"spec"`
}

type provisionSpecResp struct {
	Engine string              `json:"engine"`
	Params provisionParamsResp `json:"params"`
}

type provisionParamsResp struct {
	Namespace string `json:"namespace"`
	ImageName string `json:"image_name"`
	ImageTag  string `json:"image_tag"`
}

type devSpecResp struct {
	Storage       model.DevStorage   `json:"storage"`
	AutoStop      autoStopResp       `json:"auto_stop"`
	Annotations   map[string]string  `json:"annotations"`
	FailedReasons *failedReasonsResp `json:"failed_reasons"`
	ExtendStorage []model.DevStorage `json:"extend_storage"`
	ExtendParams  map[string]string  `json:"extend_params"`
	Repository    *struct{}          `json:"repository"`
}

type autoStopResp struct {
	Enable        bool   `json:"enable"`
	Duration      int    `json:"duration,omitempty"`
	Prompt        bool   `json:"prompt"`
	StopTimestamp *int64 `json:"stop_timestamp,omitempty"` // a number (reference §1)
	RemainTime    *int64 `json:"remain_time,omitempty"`
}

type failedReasonsResp struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Detail  map[string]string `json:"detail"`
}

type queuingInfoResp struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	DeType         string            `json:"de_type"`
	Flavor         string            `json:"flavor"`
	FlavorDetails  flavorDetailsResp `json:"flavor_details"`
	Status         string            `json:"status"`
	BeginTimestamp int64             `json:"begin_timestamp"`
	EndTimestamp   int64             `json:"end_timestamp"`
	RemainTime     int64             `json:"remain_time"`
	Rank           int               `json:"rank"`
}

type devActionResp struct {
	CurrentStatus string `json:"current_status"`
	PreviousState string `json:"previous_state"`
}

func (st *state) renderFlavorDetails(f *flavor, now int64) flavorDetailsResp {
	fd := flavorDetailsResp{Name: f.ID, Status: "onSale", StorageList: slices.Clone(f.Gen1Storage), IsPermitted: true,
		Type: f.Gen1Type, Params: f.Gen1Params, PromoType: "NoDiscount", Duration: 3600, StoreTime: -1}
	if f.SoldOut {
		fd.Status = "soldOut"
	}
	if f.Free {
		fd.PromoType = "Free"
	}
	if f.Free && f.SoldOut {
		// Reference §2.1: present when promo_type is Free and status soldOut.
		n, left := st.queueStats(f, now)
		fd.QueuingNum, fd.QueueLeftTime = &n, &left
	}
	if f.BillingCode != f.ID {
		fd.BillingFlavor, fd.BillingParams = f.BillingCode, f.UnitNum
	}
	return fd
}

func (st *state) renderDev(d *dev, now int64) devResp {
	f := st.cat.flavorsBy[d.flavor]
	p := d.profile
	r := devResp{
		ID: d.id, Name: d.name, Description: d.desc, Status: d.status,
		CreationTimestamp: itoa(d.created), LatestUpdateTimestamp: itoa(d.updated),
		Flavor: d.flavor, FlavorDetails: st.renderFlavorDetails(f, now),
		Profile: profileResp{ID: p.ID, Name: p.Name, Description: p.Description, DeType: "Notebook", FlavorType: p.FlavorTypes[0],
			Provision: provisionResp{Type: "Docker", Spec: provisionSpecResp{Engine: "CCE",
				Params: provisionParamsResp{Namespace: "atelier", ImageName: p.ImageName, ImageTag: p.ImageTag}}}},
		Workspace: idResp{"0"}, AIProject: idResp{"default-ai-project"},
		User: devUserResp{ID: d.owner.ID, Name: d.owner.Name},
		Spec: devSpecResp{
			Storage:  d.storage,
			AutoStop: autoStopResp{Enable: d.autoStop, Duration: d.duration, Prompt: d.prompt},
			Annotations: map[string]string{
				"target_domain": "https://notebook-modelarts-eu-de.otc.t-systems.com",
				"url":           "https://notebook-modelarts-eu-de.otc.t-systems.com/modelarts/hub/notebook/user/" + d.id,
			},
		},
		ErrorCode: d.failCode,
	}
	if len(p.FlavorTypes) > 1 && f != nil {
		r.Profile.FlavorType = f.Gen1Type
	}
	if d.status == "RUNNING" && d.stopAt != 0 {
		// remain_time is the countdown as of this response (reference §5).
		ts := d.stopAt
		rem := max((d.stopAt-now)/1000, 0)
		r.Spec.AutoStop.StopTimestamp, r.Spec.AutoStop.RemainTime = &ts, &rem
	}
	if d.failCode != "" && (d.status == "CREATE_FAILED" || d.status == "START_FAILED") {
		r.Spec.FailedReasons = &failedReasonsResp{Code: d.failCode, Message: d.failMsg, Detail: map[string]string{}}
	}
	if d.poolID != "" {
		r.Pool = &devPoolResp{ID: st.cat.pool.ID, Name: st.cat.pool.Name, Type: "USER_DEFINED", Owner: devPoolOwner{ProjectID: st.projectID}}
	}
	if d.status == "CREATE_QUEUING" || d.status == "START_QUEUING" {
		r.QueuingInfo = &queuingInfoResp{ID: d.id, Name: d.name, DeType: "Notebook", Flavor: d.flavor,
			FlavorDetails: r.FlavorDetails, Status: d.status, BeginTimestamp: d.queueBegin, EndTimestamp: d.queueEnd,
			RemainTime: max((d.queueEnd-now)/1000, 0), Rank: st.queueRank(d)}
	}
	return r
}
