'use strict';
// Sign-in: fetch an antiforgery token, post the credentials as JSON, then open the console.
document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('signin-error');
  error.textContent = '';
  try {
    const token = (await (await fetch('/api/antiforgery', { credentials: 'same-origin' })).json()).token;
    const response = await fetch('/api/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': token },
      body: JSON.stringify({ name: document.getElementById('name').value, password: document.getElementById('password').value }),
    });
    if (response.ok) {
      location.href = '/';
    } else if (response.status === 429) {
      error.textContent = 'تلاش‌های ناموفق زیاد بود؛ یک دقیقه صبر کنید.';
    } else {
      error.textContent = 'نام کاربری یا گذرواژه نادرست است.';
    }
  } catch (e) {
    error.textContent = 'ارتباط با دروازه برقرار نشد.';
  }
});
