// Starts Swagger UI on /docs from the collector's own copy (the page allows no inline script).
window.addEventListener('DOMContentLoaded', function () {
  window.ui = window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
  });
});
