/** Why a form was not sent or failed, announced when it appears; nothing while there is none. */
export function FormError(props: { message: string | null }) {
  if (!props.message) return null
  return (
    <p className="form-error" role="alert">
      {props.message}
    </p>
  )
}
