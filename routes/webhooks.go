package routes

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// registerWebhooks adds the webhooks an admin registers: the API and the
// settings pages.
func (h *Handler) registerWebhooks(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/webhooks", h.api(reviewers.ActWebhooks), h.listWebhooks)
	api.POST("/webhooks", h.api(reviewers.ActWebhooks), h.createWebhook)
	api.GET("/webhooks/:id", h.api(reviewers.ActWebhooks), answerByID(h, h.svc.Webhook))
	api.DELETE("/webhooks/:id", h.api(reviewers.ActWebhooks), h.deleteWebhook)
	api.GET("/webhooks/:id/deliveries", h.api(reviewers.ActWebhooks), h.listWebhookDeliveries)
	api.POST("/webhooks/:id/deliveries/:delivery_id/redeliver", h.api(reviewers.ActWebhooks), h.redeliverWebhook)

	r.GET("/settings/webhooks", h.page(reviewers.ActWebhooks), h.listWebhooksPage)
	r.POST("/settings/webhooks", h.page(reviewers.ActWebhooks), h.createWebhookPage)
	r.GET("/settings/webhooks/:id", h.page(reviewers.ActWebhooks), h.showWebhookPage)
	r.POST("/settings/webhooks/:id/delete", h.page(reviewers.ActWebhooks), h.deleteWebhookPage)
	r.POST("/settings/webhooks/:id/deliveries/:delivery_id/redeliver", h.page(reviewers.ActWebhooks), h.redeliverWebhookPage)
}

func (h *Handler) listWebhooks(c *gin.Context) {
	ws, err := h.svc.Webhooks(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": ws})
}

// webhookCreated is a new webhook as POST /webhooks answers it: with the
// secret only when factdesk made it, the one time it is shown.
type webhookCreated struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	CreatedBy *int64    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Secret    string    `json:"secret,omitempty"`
}

func (h *Handler) createWebhook(c *gin.Context) {
	var req struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
		Secret string   `json:"secret"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	w, made, err := h.svc.CreateWebhook(c.Request.Context(), actor(c), reviewers.WebhookInput{URL: req.URL, Events: req.Events, Secret: req.Secret})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/webhooks/%d", w.ID))
	c.JSON(http.StatusCreated, webhookCreated{ID: w.ID, URL: w.URL, Events: w.EventList(), CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt, Secret: made})
}

func (h *Handler) deleteWebhook(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.DeleteWebhook(c.Request.Context(), actor(c), id); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handler) listWebhookDeliveries(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	before, limit, err := pageParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	page, err := h.svc.WebhookDeliveries(c.Request.Context(), actor(c), id, before, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (h *Handler) redeliverWebhook(c *gin.Context) {
	id, did, err := deliveryParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	d, err := h.svc.RedeliverWebhook(c.Request.Context(), actor(c), id, did)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, d)
}

// deliveryParams reads the webhook and delivery ids of a delivery's path.
func deliveryParams(c *gin.Context) (id, deliveryID int64, err error) {
	if id, err = idParam(c, "id"); err != nil {
		return 0, 0, err
	}
	if deliveryID, err = idParam(c, "delivery_id"); err != nil {
		return 0, 0, err
	}
	return id, deliveryID, nil
}

// Pages.

type webhooksPage struct {
	Webhooks       []models.Webhook
	Events         []string
	Form           webhookForm
	NewSecret      string
	NewSecretLabel string
}

// webhookForm is what the add form shows again after a mistake; never the
// secret, which does not belong in a page.
type webhookForm struct {
	URL    string
	Events map[string]bool
}

func (h *Handler) showWebhooks(c *gin.Context, status int, problem string, form webhookForm, sec *models.PendingSecret, flash string) {
	ws, err := h.svc.Webhooks(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	data := &webhooksPage{Webhooks: ws, Events: models.WebhookEvents, Form: form}
	if sec != nil {
		data.NewSecret, data.NewSecretLabel = sec.Value, sec.Label
	}
	h.render(c, status, "webhooks", web.Page{Title: "Webhooks", Nav: "webhooks", Flash: flash, Error: problem, Data: data})
}

// listWebhooksPage shows the webhooks and the form to add one, and once
// the secret factdesk made for the webhook just added, if any.
func (h *Handler) listWebhooksPage(c *gin.Context) {
	sec, err := h.takeSecret(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.showWebhooks(c, http.StatusOK, "", webhookForm{}, sec, "")
}

func (h *Handler) createWebhookPage(c *gin.Context) {
	in := reviewers.WebhookInput{URL: c.PostForm("url"), Events: c.PostFormArray("events"), Secret: c.PostForm("secret")}
	w, made, err := h.svc.CreateWebhook(c.Request.Context(), actor(c), in)
	if err != nil {
		form := webhookForm{URL: in.URL, Events: map[string]bool{}}
		for _, e := range in.Events {
			form.Events[e] = true
		}
		h.formFailed(c, err, func(status int, msg string) { h.showWebhooks(c, status, msg, form, nil, "") })
		return
	}
	flash := "Webhook added: " + w.URL
	if made == "" {
		h.setFlash(c, flash)
		c.Redirect(http.StatusSeeOther, "/settings/webhooks")
		return
	}
	sec := models.PendingSecret{Label: "Signing secret of the webhook to " + w.URL, Value: made}
	held, err := h.holdSecret(c, sec)
	if err != nil {
		h.fail(c, err)
		return
	}
	if !held {
		// No session to keep it on (a script posting the form with a
		// token): the secret comes at once, and a reload cannot repeat it.
		h.showWebhooks(c, http.StatusOK, "", webhookForm{}, &sec, flash)
		return
	}
	h.setFlash(c, flash)
	c.Redirect(http.StatusSeeOther, "/settings/webhooks")
}

type webhookPage struct {
	Webhook    *models.Webhook
	Deliveries *models.DeliveryPage
	NextURL    string
}

// showWebhookPage is a webhook's delivery log, newest first, with a
// button to send each delivery again and one to delete the webhook.
func (h *Handler) showWebhookPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	before, limit, err := pageParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	w, err := h.svc.Webhook(ctx, actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	page, err := h.svc.WebhookDeliveries(ctx, actor(c), id, before, limit)
	if err != nil {
		h.fail(c, err)
		return
	}
	data := &webhookPage{Webhook: w, Deliveries: page}
	if page.Next != 0 {
		data.NextURL = fmt.Sprintf("/settings/webhooks/%d?cursor=%d", id, page.Next)
	}
	h.render(c, http.StatusOK, "webhook", web.Page{Title: "Webhook to " + w.URL, Nav: "webhooks", Data: data})
}

func (h *Handler) deleteWebhookPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	w, err := h.svc.Webhook(ctx, actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.DeleteWebhook(ctx, actor(c), id); err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "Webhook to "+w.URL+" deleted; its pending deliveries will not be sent.")
	c.Redirect(http.StatusSeeOther, "/settings/webhooks")
}

func (h *Handler) redeliverWebhookPage(c *gin.Context) {
	id, did, err := deliveryParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	d, err := h.svc.RedeliverWebhook(c.Request.Context(), actor(c), id, did)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, fmt.Sprintf("%s (%s) queued again, to be sent now.", d.Event, d.MessageID))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/settings/webhooks/%d", id))
}
