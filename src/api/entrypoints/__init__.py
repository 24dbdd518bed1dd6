"""One module per Lambda function (and the local runner): each builds only what its
function uses, through api.bootstrap."""
