/**
 * Marks the confirmation field while typing when it differs from the password; its custom
 * validity also keeps the browser from submitting the form.
 */
export function watchPasswordMatch(password: HTMLInputElement, confirm: HTMLInputElement, message: string): void {
  const check = () => {
    confirm.classList.toggle('is-invalid', confirm.value !== '' && confirm.value !== password.value)
    confirm.setCustomValidity(confirm.value === password.value ? '' : message)
  }
  password.addEventListener('input', check)
  confirm.addEventListener('input', check)
}
