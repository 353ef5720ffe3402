package client

import "matui/model"

// TEMPORARY until model.FromNotebook / model.FromDevInstance land.
func notebookInstance(nb model.Notebook, flavors map[string]model.NotebookFlavor) model.Instance {
	return model.Instance{Generation: model.Gen2, ID: nb.ID, Name: nb.Name, Status: nb.Status, Feature: nb.Feature, Flavor: nb.Flavor}
}

func devInstance(d model.DevInstance) model.Instance {
	return model.Instance{Generation: model.Gen1, ID: d.ID, Name: d.Name, Status: d.Status, Flavor: d.Flavor}
}
