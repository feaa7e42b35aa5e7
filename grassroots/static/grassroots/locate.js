// The quick report's "use my position": fills the hidden latitude and longitude fields of the form.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-locate]");
  if (!button || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition((position) => {
    document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
    document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
    button.classList.replace("btn-outline-secondary", "btn-success");
  });
});
