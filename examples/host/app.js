// The example shop's own script: a Pay button that fails with a console error, and a
// recommendations request that the server answers with a 500, so a report has both.
document.getElementById('pay').addEventListener('click', function () {
  document.getElementById('result').textContent = 'Something went wrong. Please try again.';
  console.error(new TypeError("Cannot read properties of undefined (reading 'total')"));
});
document.getElementById('recommend').addEventListener('click', function () {
  fetch('/api/recommendations?user=42&token=abc123').then(function (response) {
    document.getElementById('result').textContent = 'Recommendations: HTTP ' + response.status;
  });
});
