// Package ui is matui's Bubble Tea dashboard: one tea.Model (Model) owning
// all state, driving plain components (ui/table, ui/details, ui/help,
// ui/toast, ui/dialog) that share a per-program ui/uictx.Context.
//
// Timing: a single one-second tick drives countdowns, spinners, toast
// expiry and poll scheduling; list calls never overlap. All network work
// runs in tea.Cmds, so the Model can be driven entirely by messages in
// tests.
package ui
