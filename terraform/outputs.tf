output "chat_url" {
  description = "Public URL of the chat function: the widget's data-api and the agent console."
  value       = try(kubernetes_manifest.function["chat"].object.status.url, null)
}

output "admin_url" {
  description = "Public URL of the admin API."
  value       = try(kubernetes_manifest.function["admin"].object.status.url, null)
}

output "widget_snippet" {
  description = "The script tag for a tenant's site (replace WIDGET_KEY)."
  value       = "<script src=\"${try(kubernetes_manifest.function["chat"].object.status.url, "")}/widget.js\" data-widget-key=\"WIDGET_KEY\" async></script>"
}

output "namespace" {
  description = "The namespace kefu runs in."
  value       = kubernetes_namespace_v1.kefu.metadata[0].name
}
